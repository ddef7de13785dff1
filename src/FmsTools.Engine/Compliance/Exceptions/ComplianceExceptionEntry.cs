using System;
using System.Globalization;

namespace FmsTools.Engine.Compliance.Exceptions
{
    /// <summary>
    /// One accepted violation of an exceptions file: which violations it covers (policy, account, resource and
    /// optionally the violation reason; wildcards * and ? allowed), who owns it, why, and the last day it holds.
    /// </summary>
    public sealed class ComplianceExceptionEntry
    {
        public ComplianceExceptionEntry(int index, string policy, string account, string resource, string violationReason, string owner,
            string reason, DateTime expires, string source)
        {
            Index = index;
            Policy = policy ?? throw new ArgumentNullException(nameof(policy));
            Account = account ?? throw new ArgumentNullException(nameof(account));
            Resource = resource ?? throw new ArgumentNullException(nameof(resource));
            ViolationReason = violationReason ?? "";
            Owner = owner ?? "";
            Reason = reason ?? "";
            Expires = DateTime.SpecifyKind(expires.Date, DateTimeKind.Utc);
            Source = source ?? "";
        }

        /// <summary>The entry's position in the file's array (0-based).</summary>
        public int Index { get; }

        /// <summary>Policy name (wildcards allowed) or policy id.</summary>
        public string Policy { get; }

        /// <summary>Member account id (wildcards allowed).</summary>
        public string Account { get; }

        /// <summary>Resource id or ARN (wildcards allowed).</summary>
        public string Resource { get; }

        /// <summary>FMS's violation reason code the entry is limited to; empty for any reason.</summary>
        public string ViolationReason { get; }

        public string Owner { get; }

        /// <summary>Why the violation is accepted.</summary>
        public string Reason { get; }

        /// <summary>The last day (UTC) the entry holds; from the next day the violation fails the check again.</summary>
        public DateTime Expires { get; }

        /// <summary>The file the entry came from.</summary>
        public string Source { get; }

        /// <summary>"exceptions.json[2]": where to find the entry.</summary>
        public string Location => (Source.Length > 0 ? System.IO.Path.GetFileName(Source) : "exceptions") + "[" + Index.ToString(CultureInfo.InvariantCulture) + "]";

        /// <summary>True from the day after <see cref="Expires"/> (UTC).</summary>
        public bool IsExpiredOn(DateTime utcNow) => utcNow.ToUniversalTime().Date > Expires;

        public override string ToString()
            => $"{Location}: {Policy} | {Account} | {Resource}" + (ViolationReason.Length > 0 ? " | " + ViolationReason : "")
               + $" (owner {Owner}, expires {Expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})";
    }

    /// <summary>One problem of an exceptions file: the entry (index, -1 for the file itself), the field and the rule broken.</summary>
    public sealed class ComplianceExceptionFinding
    {
        public ComplianceExceptionFinding(int index, string field, string message)
        {
            Index = index;
            Field = field ?? "";
            Message = message ?? "";
        }

        /// <summary>The entry's position in the array; -1 when the problem is the file as a whole.</summary>
        public int Index { get; }

        /// <summary>The property of the entry ("" for the entry or the file as a whole).</summary>
        public string Field { get; }

        public string Message { get; }

        public override string ToString()
            => (Index < 0 ? "" : "[" + Index.ToString(CultureInfo.InvariantCulture) + "]" + (Field.Length > 0 ? "." + Field : "") + ": ") + Message;
    }

    /// <summary>An exceptions file that cannot be used: every finding, so all of them can be fixed at once.</summary>
    public sealed class ComplianceExceptionFileException : Exception
    {
        public ComplianceExceptionFileException(string path, System.Collections.Generic.IReadOnlyList<ComplianceExceptionFinding> findings)
            : base($"The exceptions file '{path}' is not valid: " + string.Join("; ", System.Linq.Enumerable.Select(findings, f => f.ToString())) + ".")
        {
            Path = path;
            Findings = findings;
        }

        public string Path { get; }

        public System.Collections.Generic.IReadOnlyList<ComplianceExceptionFinding> Findings { get; }
    }
}
