using System;
using System.Collections.Generic;

namespace FmsTools.Engine.Compliance
{
    /// <summary>Where one account stands against one policy.</summary>
    public enum FmsComplianceState
    {
        /// <summary>FMS has not evaluated the account yet (a new policy is pending for minutes) or reports no result.</summary>
        Unknown = 0,
        Compliant = 1,
        NonCompliant = 2,
    }

    /// <summary>
    /// One policy × account × region: the row administrators read. Flat properties for tables and exports;
    /// <see cref="Violations"/> holds the violators when the row was drilled into (non-compliant accounts only).
    /// </summary>
    public sealed class FmsComplianceStatus
    {
        private static readonly IReadOnlyDictionary<string, int> NoReasons = new Dictionary<string, int>(0);
        private static readonly IReadOnlyDictionary<string, string> NoIssues = new Dictionary<string, string>(0);
        private static readonly IReadOnlyList<FmsViolation> NoViolations = new FmsViolation[0];

        public string PolicyId { get; set; } = "";
        public string PolicyName { get; set; } = "";

        /// <summary>The policy's security service type, e.g. WAFV2 or SECURITY_GROUPS_CONTENT_AUDIT.</summary>
        public string PolicyType { get; set; } = "";

        public string Region { get; set; } = "";

        /// <summary>True for CloudFront policies: they live only in us-east-1 and are counted once.</summary>
        public bool IsGlobal { get; set; }

        public string AccountId { get; set; } = "";

        /// <summary>The account's name from Organizations, or the id when names are not available.</summary>
        public string AccountName { get; set; } = "";

        /// <summary>e.g. "Root/Production/Web"; empty when Organizations could not be read.</summary>
        public string OrganizationalUnitPath { get; set; } = "";

        /// <remarks>The name of a <see cref="FmsComplianceState"/> value (ConvertTo-Json writes enums as numbers); the engine reads StatusValue.</remarks>
        public string Status { get => StatusValue.ToString(); set => StatusValue = EnumName.Parse<FmsComplianceState>(value, nameof(Status)); }

        internal FmsComplianceState StatusValue { get; set; }

        /// <summary>Resources FMS counts as violating; from ListComplianceStatus (at most 100 are listed in detail).</summary>
        public long ViolatorCount { get; set; }

        /// <summary>Violators by violation reason (from GetComplianceDetail; empty for rows not drilled into).</summary>
        public IReadOnlyDictionary<string, int> ViolationsByReason { get => _violationsByReason; set => _violationsByReason = Items.ReadOnlyDictionary(value); }
        private ReadOnlyItemDictionary<string, int> _violationsByReason = Items.ReadOnlyDictionary(NoReasons);

        /// <summary>FMS stopped counting: the account has more than 100 violators.</summary>
        public bool EvaluationLimitExceeded { get; set; }

        public DateTime? LastUpdated { get; set; }

        /// <summary>Problems with dependent services (AWSCONFIG, AWSWAF, AWSSHIELD_ADVANCED, AWSVPC) by service.</summary>
        public IReadOnlyDictionary<string, string> IssueInfo { get => _issueInfo; set => _issueInfo = Items.ReadOnlyDictionary(value); }
        private ReadOnlyItemDictionary<string, string> _issueInfo = Items.ReadOnlyDictionary(NoIssues);

        /// <summary>When the detail goes stale (GetComplianceDetail's ExpiredAt); null when not drilled into.</summary>
        public DateTime? ExpiredAt { get; set; }

        public string PolicyOwner { get; set; } = "";

        /// <summary>True when GetComplianceDetail was read for this row.</summary>
        public bool DetailRetrieved { get; set; }

        /// <summary>The violators GetComplianceDetail listed (rich member; not a table column).</summary>
        public IReadOnlyList<FmsViolation> Violations { get => _violations; set => _violations = Items.ReadOnly(value); }
        private ReadOnlyItemList<FmsViolation> _violations = Items.ReadOnly(NoViolations);

        /// <summary>Listed violators an exceptions file accepts (see <see cref="FmsViolation.Excepted"/>); 0 without one.</summary>
        public long ExceptedViolatorCount { get; set; }

        /// <summary>
        /// True when the row is non-compliant only through accepted violations: every violator is listed and excepted.
        /// Such a row does not fail Test-/Assert-FmsCompliance.
        /// </summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public bool IsExcepted
        {
            get
            {
                if (StatusValue != FmsComplianceState.NonCompliant || Violations.Count == 0 || EvaluationLimitExceeded) return false;
                if (ViolatorCount > Violations.Count) return false;
                foreach (var v in Violations) if (!v.Excepted) return false;
                return true;
            }
        }

        /// <summary>Dependent-service issues as one line, for tables and CSV.</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public string IssueSummary
        {
            get
            {
                if (IssueInfo.Count == 0) return "";
                var parts = new List<string>(IssueInfo.Count);
                foreach (var pair in SortedByKey(IssueInfo)) parts.Add(pair.Key + ": " + pair.Value);
                return string.Join("; ", parts);
            }
        }

        /// <summary>Counts by reason as one line ("RESOURCE_MISSING_WEB_ACL=2; ..."), for tables and CSV.</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public string ReasonSummary
        {
            get
            {
                if (ViolationsByReason.Count == 0) return "";
                var parts = new List<string>(ViolationsByReason.Count);
                foreach (var pair in SortedByKey(ViolationsByReason)) parts.Add(pair.Key + "=" + pair.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return string.Join("; ", parts);
            }
        }

        internal static List<KeyValuePair<string, T>> SortedByKey<T>(IReadOnlyDictionary<string, T> map)
        {
            var list = new List<KeyValuePair<string, T>>(map);
            list.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return list;
        }

        public override string ToString() => $"{PolicyName} {Region} {AccountId}: {Status}" + (ViolatorCount > 0 ? $" ({ViolatorCount} violators)" : "");
    }
}
