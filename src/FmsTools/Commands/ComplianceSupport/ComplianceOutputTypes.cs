using FmsTools.Engine;
using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Engine.Compliance;
using FmsTools.Engine.Compliance.Exceptions;
using FmsTools.Engine.Reports;

namespace FmsTools.Commands.ComplianceSupport
{
    /// <summary>A report file Export-FmsComplianceReport wrote: where, what format, and the counts it holds.</summary>
    public sealed class ComplianceReportFile
    {
        public ComplianceReportFile(string fullName, ComplianceReportFormat format, long length, DateTime lastWriteTime, long rows, long nonCompliantRows,
            long violators, bool overwritten)
        {
            FullName = fullName ?? throw new ArgumentNullException(nameof(fullName));
            Name = System.IO.Path.GetFileName(fullName);
            DirectoryName = System.IO.Path.GetDirectoryName(fullName) ?? "";
            FormatValue = format;
            Length = length;
            LastWriteTime = lastWriteTime;
            Rows = rows;
            NonCompliantRows = nonCompliantRows;
            Violators = violators;
            Overwritten = overwritten;
        }

        public string Name { get; }
        public string FullName { get; }
        public string DirectoryName { get; }
        /// <remarks>The name of a <see cref="ComplianceReportFormat"/> value (ConvertTo-Json writes enums as numbers).</remarks>
        public string Format => FormatValue.ToString();

        internal ComplianceReportFormat FormatValue { get; }

        /// <summary>Size in bytes.</summary>
        public long Length { get; }

        public DateTime LastWriteTime { get; }

        /// <summary>Policy × account rows in the report.</summary>
        public long Rows { get; }

        public long NonCompliantRows { get; }

        /// <summary>Violating resources FMS counts across the report (sum of ViolatorCount).</summary>
        public long Violators { get; }

        /// <summary>True when an existing file was replaced (-Force).</summary>
        public bool Overwritten { get; }

        public override string ToString() => FullName;
    }

    /// <summary>
    /// The evidence of Test-FmsCompliance and Assert-FmsCompliance: whether every evaluated policy × account is
    /// compliant, the rows that are not, and their violators.
    /// </summary>
    public sealed class FmsComplianceTestResult
    {
        public FmsComplianceTestResult(IReadOnlyList<FmsComplianceStatus> rows, ComplianceExceptionSet? exceptions = null)
        {
            if (rows == null) throw new ArgumentNullException(nameof(rows));
            Evaluations = rows.Count;
            Policies = rows.Select(r => r.Region + "/" + r.PolicyId).Distinct(StringComparer.Ordinal).Count();
            Accounts = rows.Select(r => r.AccountId).Distinct(StringComparer.Ordinal).Count();
            NonCompliant = Items.ReadOnly(rows.Where(r => r.StatusValue == FmsComplianceState.NonCompliant && !r.IsExcepted).ToList());
            Excepted = Items.ReadOnly(rows.Where(r => r.IsExcepted).ToList());
            Unknown = Items.ReadOnly(rows.Where(r => r.StatusValue == FmsComplianceState.Unknown).ToList());
            Violations = Items.ReadOnly(NonCompliant.SelectMany(r => r.Violations).Where(v => !v.Excepted).ToList());
            ExceptedViolations = Items.ReadOnly(rows.Where(r => r.StatusValue == FmsComplianceState.NonCompliant).SelectMany(r => r.Violations).Where(v => v.Excepted).ToList());
            StaleExceptions = Items.ReadOnly(exceptions?.Unused ?? new ComplianceExceptionEntry[0]);
            ExpiredExceptions = Items.ReadOnly(exceptions?.ExpiredMatches.Select(p => p.Key).ToList() ?? new List<ComplianceExceptionEntry>());
            Rows = Items.ReadOnly(rows);
        }

        /// <summary>Rows non-compliant only through accepted violations (an exceptions file): they do not fail the check.</summary>
        public IReadOnlyList<FmsComplianceStatus> Excepted { get; }

        /// <summary>Violations an exceptions file accepts, with owner, reason and expiry.</summary>
        public IReadOnlyList<FmsViolation> ExceptedViolations { get; }

        /// <summary>Unexpired exceptions that match no violation any more: remove them from the file.</summary>
        public IReadOnlyList<ComplianceExceptionEntry> StaleExceptions { get; }

        /// <summary>Expired exceptions that still match violations (those violations fail again).</summary>
        public IReadOnlyList<ComplianceExceptionEntry> ExpiredExceptions { get; }

        /// <summary>True when no evaluated policy × account is non-compliant apart from accepted violations (accounts FMS has not evaluated yet are listed in <see cref="Unknown"/>).</summary>
        public bool IsCompliant => NonCompliant.Count == 0;

        /// <summary>Policies evaluated (a policy in two regions counts twice).</summary>
        public int Policies { get; }

        public int Accounts { get; }

        /// <summary>Policy × account rows evaluated.</summary>
        public int Evaluations { get; }

        public IReadOnlyList<FmsComplianceStatus> NonCompliant { get; }

        /// <summary>Rows FMS has not evaluated yet (a new policy is pending for minutes).</summary>
        public IReadOnlyList<FmsComplianceStatus> Unknown { get; }

        /// <summary>The violators of the non-compliant rows (GetComplianceDetail lists at most 100 per account).</summary>
        public IReadOnlyList<FmsViolation> Violations { get; }

        /// <summary>Every evaluated row.</summary>
        public IReadOnlyList<FmsComplianceStatus> Rows { get; }

        /// <summary>Violating resources FMS counts (sum of ViolatorCount; may exceed <see cref="Violations"/> beyond 100 per account).</summary>
        public long ViolatorCount => NonCompliant.Sum(r => Math.Max(0, r.ViolatorCount - r.ExceptedViolatorCount));

        /// <summary>One line: "Compliant: 9 policies × 12 accounts" or "NOT compliant: 7 of 96 ...".</summary>
        public string Summary
            => IsCompliant
                ? $"Compliant: {Evaluations} policy × account evaluations across {Policies} policies and {Accounts} accounts" + (Unknown.Count > 0 ? $" ({Unknown.Count} not evaluated yet)" : "")
                  + (ExceptedViolations.Count > 0 ? $", {ExceptedViolations.Count} accepted violations excepted" : "") + "."
                : $"NOT compliant: {NonCompliant.Count} of {Evaluations} policy × account evaluations, {ViolatorCount} violating resources" + (ExceptedViolations.Count > 0 ? $" ({ExceptedViolations.Count} more excepted)" : "") + ".";

        /// <summary>The violators as lines "policy | region | account | resource type resource: reason", at most <paramref name="max"/>.</summary>
        public IReadOnlyList<string> DescribeViolators(int max = 50)
        {
            var lines = new List<string>();
            foreach (var row in NonCompliant)
            {
                var account = row.AccountName.Length > 0 && row.AccountName != row.AccountId ? $"{row.AccountId} ({row.AccountName})" : row.AccountId;
                if (row.Violations.Count == 0)
                {
                    lines.Add($"{row.PolicyName} | {row.Region} | {account} | {row.ViolatorCount} violating resources (details not read)");
                    continue;
                }
                foreach (var v in row.Violations.Where(v => !v.Excepted))
                    lines.Add($"{row.PolicyName} | {row.Region} | {account} | {v.ResourceType} {v.ResourceId}: {v.Reason}");
            }
            if (lines.Count <= max) return lines;
            var shown = lines.Take(max).ToList();
            shown.Add($"... and {lines.Count - max} more");
            return shown;
        }

        public override string ToString() => Summary;
    }
}
