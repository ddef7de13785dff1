using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace FmsTools.Engine.Compliance.Exceptions
{
    /// <summary>
    /// Applies accepted violations to compliance rows: a violation an unexpired entry matches is marked Excepted
    /// (owner, reason, expiry, entry) and no longer fails a check. Remembers which entries matched, so that entries
    /// matching nothing (stale) and expired entries that still match violations can be reported. Thread-safe.
    /// </summary>
    public sealed class ComplianceExceptionSet
    {
        private readonly object _lock = new object();
        private readonly List<Matcher> _matchers;
        private readonly DateTime _utcNow;
        private readonly HashSet<int> _used = new HashSet<int>();
        private readonly Dictionary<int, int> _expiredHits = new Dictionary<int, int>();

        public ComplianceExceptionSet(IEnumerable<ComplianceExceptionEntry> entries, DateTime utcNow)
        {
            Entries = Items.ReadOnly((entries ?? throw new ArgumentNullException(nameof(entries))).ToList());
            _matchers = Entries.Select(e => new Matcher(e)).ToList();
            _utcNow = utcNow;
        }

        public IReadOnlyList<ComplianceExceptionEntry> Entries { get; }

        /// <summary>Entries past their expiry date.</summary>
        public IReadOnlyList<ComplianceExceptionEntry> Expired => Entries.Where(e => e.IsExpiredOn(_utcNow)).ToList();

        /// <summary>Unexpired entries that matched no violation of the rows applied so far.</summary>
        public IReadOnlyList<ComplianceExceptionEntry> Unused
        {
            get { lock (_lock) return Entries.Where(e => !e.IsExpiredOn(_utcNow) && !_used.Contains(e.Index)).ToList(); }
        }

        /// <summary>Expired entries that still match violations, with how many (those violations fail again).</summary>
        public IReadOnlyList<KeyValuePair<ComplianceExceptionEntry, int>> ExpiredMatches
        {
            get
            {
                lock (_lock)
                    return Entries.Where(e => _expiredHits.ContainsKey(e.Index))
                        .Select(e => new KeyValuePair<ComplianceExceptionEntry, int>(e, _expiredHits[e.Index])).ToList();
            }
        }

        /// <summary>
        /// Marks the violations of <paramref name="row"/> that an unexpired entry matches (the row gets copies of its
        /// violations; marks of an earlier application are replaced) and sets the row's ExceptedViolatorCount.
        /// </summary>
        public void Apply(FmsComplianceStatus row)
        {
            if (row == null) throw new ArgumentNullException(nameof(row));
            var copies = new List<FmsViolation>(row.Violations.Count);
            var excepted = 0;
            foreach (var original in row.Violations)
            {
                var violation = original.Copy();
                violation.Excepted = false;
                violation.ExceptionOwner = violation.ExceptionReason = violation.ExceptionEntry = "";
                violation.ExceptionExpires = null;
                ComplianceExceptionEntry? match = null;
                foreach (var matcher in _matchers)
                {
                    if (!matcher.Matches(row, violation)) continue;
                    lock (_lock)
                    {
                        if (matcher.Entry.IsExpiredOn(_utcNow))
                        {
                            _expiredHits.TryGetValue(matcher.Entry.Index, out var hits);
                            _expiredHits[matcher.Entry.Index] = hits + 1;
                            continue;
                        }
                        _used.Add(matcher.Entry.Index);
                    }
                    match = matcher.Entry;
                    break;
                }
                if (match != null)
                {
                    violation.Excepted = true;
                    violation.ExceptionOwner = match.Owner;
                    violation.ExceptionReason = match.Reason;
                    violation.ExceptionExpires = match.Expires;
                    violation.ExceptionEntry = match.Location;
                    excepted++;
                }
                copies.Add(violation);
            }
            row.Violations = copies;
            row.ExceptedViolatorCount = excepted;
        }

        /// <summary>Lines for warnings: stale entries and expired entries that match violations again.</summary>
        public IReadOnlyList<string> Describe()
        {
            var lines = new List<string>();
            foreach (var pair in ExpiredMatches)
                lines.Add($"Exception {pair.Key.Location} (owner {pair.Key.Owner}) expired on {pair.Key.Expires:yyyy-MM-dd}: its {pair.Value} violations fail again.");
            foreach (var entry in Unused)
                lines.Add($"Exception {entry.Location} (owner {entry.Owner}) is stale: it matches no violation ({entry.Policy} | {entry.Account} | {entry.Resource}"
                          + (entry.ViolationReason.Length > 0 ? " | " + entry.ViolationReason : "") + ").");
            return lines;
        }

        private sealed class Matcher
        {
            private readonly Regex _policy;
            private readonly Regex _account;
            private readonly Regex _resource;
            private readonly Regex? _reason;
            private readonly bool _resourceIsArn;

            public Matcher(ComplianceExceptionEntry entry)
            {
                Entry = entry;
                _policy = Glob(entry.Policy, ignoreCase: true);
                _account = Glob(entry.Account, ignoreCase: false);
                _resource = Glob(entry.Resource, ignoreCase: false);
                _reason = entry.ViolationReason.Length == 0 ? null : Glob(entry.ViolationReason, ignoreCase: true);
                _resourceIsArn = entry.Resource.StartsWith("arn:", StringComparison.OrdinalIgnoreCase);
            }

            public ComplianceExceptionEntry Entry { get; }

            public bool Matches(FmsComplianceStatus row, FmsViolation violation)
            {
                var policyId = violation.PolicyId.Length > 0 ? violation.PolicyId : row.PolicyId;
                var policyName = violation.PolicyName.Length > 0 ? violation.PolicyName : row.PolicyName;
                if (!string.Equals(Entry.Policy, policyId, StringComparison.Ordinal) && !_policy.IsMatch(policyName)) return false;
                var account = violation.AccountId.Length > 0 ? violation.AccountId : row.AccountId;
                if (!_account.IsMatch(account)) return false;
                if (_reason != null && !_reason.IsMatch(violation.Reason)) return false;
                if (_resource.IsMatch(violation.ResourceId)) return true;
                // An ARN in the file also matches a violator FMS names by its bare id (i-…, sg-…, vpc-…): the ARN's last segment.
                if (!_resourceIsArn || violation.ResourceId.StartsWith("arn:", StringComparison.OrdinalIgnoreCase)) return false;
                var tail = Entry.Resource.Substring(Entry.Resource.LastIndexOfAny(new[] { '/', ':' }) + 1);
                return tail.Length > 0 && Glob(tail, ignoreCase: false).IsMatch(violation.ResourceId);
            }

            private static Regex Glob(string pattern, bool ignoreCase)
                => new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$",
                    RegexOptions.CultureInvariant | RegexOptions.Singleline | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));
        }
    }
}
