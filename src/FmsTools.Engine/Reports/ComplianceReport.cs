using FmsTools.Engine.Compliance;

namespace FmsTools.Engine.Reports
{
    /// <summary>Organization-wide totals.</summary>
    public sealed class ComplianceSummary
    {
        public int Policies { get; set; }
        public int Accounts { get; set; }
        public int CompliantAccounts { get; set; }
        public int NonCompliantAccounts { get; set; }
        public int UnknownAccounts { get; set; }
        public long Evaluations { get; set; }
        public long CompliantEvaluations { get; set; }
        public long NonCompliantEvaluations { get; set; }
        public long UnknownEvaluations { get; set; }

        /// <summary>Violating resources FMS counts (sum of ViolatorCount), accepted ones included.</summary>
        public long NonCompliantResources { get; set; }

        /// <summary>Non-compliant evaluations whose every violator an exceptions file accepts (also counted in NonCompliantEvaluations).</summary>
        public long ExceptedEvaluations { get; set; }

        /// <summary>Violating resources an exceptions file accepts (part of NonCompliantResources).</summary>
        public long ExceptedResources { get; set; }

        public IReadOnlyDictionary<string, long> ViolationsByReason { get => _violationsByReason; set => _violationsByReason = Items.ReadOnlyDictionary(value); }

        private ReadOnlyItemDictionary<string, long> _violationsByReason = Items.ReadOnlyDictionary(new SortedDictionary<string, long>(StringComparer.Ordinal));

        /// <summary>Compliant evaluations as a share of evaluated ones (unknown excluded), 0–100.</summary>
        public double CompliancePercent => Percent(CompliantEvaluations, CompliantEvaluations + NonCompliantEvaluations);

        internal static double Percent(long part, long whole) => whole == 0 ? 100.0 : Math.Round(part * 100.0 / whole, 1);

        public override string ToString()
            => string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "{0} policies, {1} accounts ({2} non-compliant), {3} violating resources, {4:0.0}% of evaluations compliant",
                Policies, Accounts, NonCompliantAccounts, NonCompliantResources, CompliancePercent);
    }

    /// <summary>One policy in one region across accounts.</summary>
    public sealed class PolicyComplianceSummary
    {
        /// <summary>The organization in a merged report; empty otherwise.</summary>
        public string OrganizationId { get; set; } = "";
        public string Organization { get; set; } = "";
        public string PolicyId { get; set; } = "";
        public string PolicyName { get; set; } = "";
        public string PolicyType { get; set; } = "";
        public string Region { get; set; } = "";
        public bool IsGlobal { get; set; }
        public int Accounts { get; set; }
        public int CompliantAccounts { get; set; }
        public int NonCompliantAccounts { get; set; }
        public int UnknownAccounts { get; set; }
        public long Violators { get; set; }

        /// <summary>Non-compliant accounts whose every violator is accepted (part of NonCompliantAccounts).</summary>
        public int ExceptedAccounts { get; set; }

        public double CompliancePercent => ComplianceSummary.Percent(CompliantAccounts, CompliantAccounts + NonCompliantAccounts);

        public override string ToString() => PolicyName + (Region.Length > 0 ? " (" + Region + ")" : "");
    }

    /// <summary>One account across policies.</summary>
    public sealed class AccountComplianceSummary
    {
        /// <summary>The organization in a merged report; empty otherwise.</summary>
        public string OrganizationId { get; set; } = "";
        public string Organization { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string AccountName { get; set; } = "";
        public string OrganizationalUnitPath { get; set; } = "";
        public int Policies { get; set; }
        public int CompliantPolicies { get; set; }
        public int NonCompliantPolicies { get; set; }
        public int UnknownPolicies { get; set; }
        public long Violators { get; set; }

        /// <summary>NonCompliant when any policy is, Compliant when at least one is and none is not, Unknown when nothing was evaluated (a name of <see cref="FmsComplianceState"/>).</summary>
        public string Status => StatusValue.ToString();

        internal FmsComplianceState StatusValue => NonCompliantPolicies > 0 ? FmsComplianceState.NonCompliant
            : CompliantPolicies > 0 ? FmsComplianceState.Compliant : FmsComplianceState.Unknown;

        public override string ToString() => AccountName.Length > 0 ? AccountName : AccountId;
    }

    /// <summary>
    /// A finished report: summary, per-policy and per-account tables in memory (small), and the policy × account rows
    /// with their violators in a <see cref="ComplianceRowStore"/> (read on demand). Dispose it to delete the rows' file.
    /// </summary>
    public sealed class ComplianceReport : IDisposable
    {
        private readonly ComplianceRowStore _rows;

        internal ComplianceReport(DateTime generatedAt, IReadOnlyList<string> regions, ComplianceSummary summary,
            IReadOnlyList<PolicyComplianceSummary> policies, IReadOnlyList<AccountComplianceSummary> accounts, ComplianceRowStore rows,
            IReadOnlyDictionary<string, long> callsByOperation)
        {
            GeneratedAt = generatedAt;
            Regions = Items.ReadOnly(regions);
            Summary = summary;
            PolicyRows = Items.ReadOnly(policies);
            AccountRows = Items.ReadOnly(accounts);
            _rows = rows;
            CallsByOperation = Items.ReadOnlyDictionary(callsByOperation);
        }

        /// <summary>When the report was generated (UTC).</summary>
        public DateTime GeneratedAt { get; }

        public IReadOnlyList<string> Regions { get; }

        public ComplianceSummary Summary { get; }

        public IReadOnlyList<PolicyComplianceSummary> PolicyRows { get; }

        public IReadOnlyList<AccountComplianceSummary> AccountRows { get; }

        /// <summary>Unexpired exceptions that matched no violation of the report (empty without an exceptions file).</summary>
        public IReadOnlyList<Compliance.Exceptions.ComplianceExceptionEntry> StaleExceptions { get; internal set; } = Items.ReadOnly(new Compliance.Exceptions.ComplianceExceptionEntry[0]);

        /// <summary>Expired exceptions that still match violations of the report (they fail again).</summary>
        public IReadOnlyList<Compliance.Exceptions.ComplianceExceptionEntry> ExpiredExceptions { get; internal set; } = Items.ReadOnly(new Compliance.Exceptions.ComplianceExceptionEntry[0]);

        /// <summary>The organizations of a merged report (id and friendly name, in order); empty for a report of one connection.</summary>
        public IReadOnlyList<ReportOrganization> Organizations
            => Items.ReadOnly(PolicyRows.Select(p => new ReportOrganization(p.OrganizationId, p.Organization))
                .Concat(AccountRows.Select(a => new ReportOrganization(a.OrganizationId, a.Organization)))
                .Where(o => o.Id.Length > 0).GroupBy(o => o.Id, StringComparer.Ordinal).Select(g => g.First())
                .OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase).ThenBy(o => o.Id, StringComparer.Ordinal).ToList());

        /// <summary>Restores the stale and expired exception lists (a saved report read back).</summary>
        internal void SetExceptionOutcome(IEnumerable<Compliance.Exceptions.ComplianceExceptionEntry> stale, IEnumerable<Compliance.Exceptions.ComplianceExceptionEntry> expired)
        {
            StaleExceptions = Items.ReadOnly(stale.ToList());
            ExpiredExceptions = Items.ReadOnly(expired.ToList());
        }

        /// <summary>Records what an exceptions file applied to the rows left behind (stale and expired entries).</summary>
        public void SetExceptionOutcome(Compliance.Exceptions.ComplianceExceptionSet exceptions)
        {
            if (exceptions == null) throw new ArgumentNullException(nameof(exceptions));
            StaleExceptions = Items.ReadOnly(exceptions.Unused);
            ExpiredExceptions = Items.ReadOnly(exceptions.ExpiredMatches.Select(p => p.Key).ToList());
        }

        /// <summary>Calls per operation the build made (empty when unknown).</summary>
        public IReadOnlyDictionary<string, long> CallsByOperation { get; }

        public long RowCount => _rows.Count;

        /// <summary>Every policy × account row (read from the store on each enumeration).</summary>
        public IEnumerable<FmsComplianceStatus> Rows => new StoredItems<FmsComplianceStatus>(() => _rows.Read(), RowCount + " rows");

        /// <summary>Every violator listed by GetComplianceDetail for non-compliant rows.</summary>
        public IEnumerable<FmsViolation> NonCompliantResources
            => new StoredItems<FmsViolation>(() => _rows.Read().SelectMany(r => r.Violations), Summary.NonCompliantResources + " violating resources");

        public void Dispose() => _rows.Dispose();
    }

    /// <summary>
    /// Items read from a report's store on each enumeration; too many to join into text, so its text says how many there
    /// are (what Export-Csv and ConvertTo-Json past its depth show).
    /// </summary>
    public sealed class StoredItems<T> : IEnumerable<T>
    {
        private readonly Func<IEnumerable<T>> _read;
        private readonly string _text;

        internal StoredItems(Func<IEnumerable<T>> read, string text)
        {
            _read = read;
            _text = text;
        }

        public IEnumerator<T> GetEnumerator() => _read().GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => _text;
    }

    /// <summary>
    /// Builds a <see cref="ComplianceReport"/> from streamed rows: the cmdlet feeds every row it emits. Only the
    /// summary counters, one entry per policy and one small entry per account stay in memory; the rows go to a
    /// <see cref="ComplianceRowStore"/> (a temporary file unless told otherwise). Add may be called from any thread.
    /// </summary>
    public sealed class ComplianceReportAggregator : IDisposable
    {
        private readonly object _lock = new object();
        private readonly ComplianceRowStore _store;
        // Keyed by (organization, region, policy) and (organization, account): no key string per row or per account.
        private readonly Dictionary<(string, string, string), PolicyComplianceSummary> _policies = new Dictionary<(string, string, string), PolicyComplianceSummary>();
        private readonly Dictionary<(string, string), AccountComplianceSummary> _accounts = new Dictionary<(string, string), AccountComplianceSummary>();

        // One copy of each organization name and OU path the account table keeps: rows read back from a store carry their
        // own copies, and thousands of accounts share a few OU paths.
        private readonly Dictionary<string, string> _shared = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly SortedDictionary<string, long> _byReason = new SortedDictionary<string, long>(StringComparer.Ordinal);
        private readonly ComplianceSummary _summary = new ComplianceSummary();
        private readonly List<string> _regions;
        private readonly EngineClock _clock;
        private bool _completed;

        public ComplianceReportAggregator(IEnumerable<string> regions, ComplianceRowStore? store = null, EngineClock? clock = null)
        {
            _regions = (regions ?? throw new ArgumentNullException(nameof(regions))).ToList();
            _store = store ?? ComplianceRowStore.TemporaryFile();
            _clock = clock ?? EngineClock.System;
        }

        /// <summary>Adds a region to the report's list (once, in order) when the regions are learnt from the rows as they come.</summary>
        internal void AddRegion(string region)
        {
            lock (_lock)
                if (!_regions.Contains(region)) _regions.Add(region);
        }

        public void Add(FmsComplianceStatus row)
        {
            if (row == null) throw new ArgumentNullException(nameof(row));
            lock (_lock)
            {
                if (_completed) throw new InvalidOperationException("The report was already completed.");
                _store.Add(row);
                var policyKey = (row.OrganizationId, row.Region, row.PolicyId);
                if (!_policies.TryGetValue(policyKey, out var policy))
                {
                    policy = new PolicyComplianceSummary
                    {
                        PolicyId = row.PolicyId, PolicyName = row.PolicyName, PolicyType = row.PolicyType, Region = row.Region, IsGlobal = row.IsGlobal,
                        OrganizationId = row.OrganizationId, Organization = row.Organization,
                    };
                    _policies.Add(policyKey, policy);
                }
                var accountKey = (row.OrganizationId, row.AccountId);
                if (!_accounts.TryGetValue(accountKey, out var account))
                {
                    account = new AccountComplianceSummary
                    {
                        AccountId = row.AccountId, AccountName = row.AccountName, OrganizationalUnitPath = Shared(row.OrganizationalUnitPath),
                        OrganizationId = Shared(row.OrganizationId), Organization = Shared(row.Organization),
                    };
                    _accounts.Add(accountKey, account);
                }
                policy.Accounts++;
                account.Policies++;
                _summary.Evaluations++;
                switch (row.StatusValue)
                {
                    case FmsComplianceState.Compliant:
                        policy.CompliantAccounts++; account.CompliantPolicies++; _summary.CompliantEvaluations++;
                        break;
                    case FmsComplianceState.NonCompliant:
                        policy.NonCompliantAccounts++; account.NonCompliantPolicies++; _summary.NonCompliantEvaluations++;
                        if (row.IsExcepted) { policy.ExceptedAccounts++; _summary.ExceptedEvaluations++; }
                        break;
                    default:
                        policy.UnknownAccounts++; account.UnknownPolicies++; _summary.UnknownEvaluations++;
                        break;
                }
                policy.Violators += row.ViolatorCount;
                account.Violators += row.ViolatorCount;
                _summary.NonCompliantResources += row.ViolatorCount;
                _summary.ExceptedResources += row.ExceptedViolatorCount;
                foreach (var pair in row.ViolationsByReason)
                {
                    _byReason.TryGetValue(pair.Key, out var count);
                    _byReason[pair.Key] = count + pair.Value;
                }
            }
        }

        private string Shared(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            if (_shared.TryGetValue(text, out var shared)) return shared;
            _shared.Add(text, text);
            return text;
        }

        /// <summary>Finishes the report; the aggregator hands its row store to the report (dispose the report, not the aggregator).</summary>
        public ComplianceReport Complete(ReportStatistics? statistics = null)
        {
            lock (_lock)
            {
                if (_completed) throw new InvalidOperationException("The report was already completed.");
                _completed = true;
                var policies = _policies.Values.OrderBy(p => p.Organization, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.PolicyName, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Region, StringComparer.Ordinal).ToList();
                var accounts = _accounts.Values.OrderBy(a => a.Organization, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.OrganizationalUnitPath, StringComparer.OrdinalIgnoreCase)
                    .ThenBy(a => a.AccountName, StringComparer.OrdinalIgnoreCase).ThenBy(a => a.AccountId, StringComparer.Ordinal).ToList();
                _summary.Policies = policies.Count;
                _summary.Accounts = accounts.Count;
                _summary.CompliantAccounts = accounts.Count(a => a.StatusValue == FmsComplianceState.Compliant);
                _summary.NonCompliantAccounts = accounts.Count(a => a.StatusValue == FmsComplianceState.NonCompliant);
                _summary.UnknownAccounts = accounts.Count(a => a.StatusValue == FmsComplianceState.Unknown);
                _summary.ViolationsByReason = new SortedDictionary<string, long>(_byReason, StringComparer.Ordinal);
                var calls = statistics?.CallsByOperation ?? new SortedDictionary<string, long>(StringComparer.Ordinal);
                return new ComplianceReport(_clock.UtcNow, _regions.AsReadOnly(), _summary, policies, accounts, _store, calls);
            }
        }

        /// <summary>Deletes the rows when the report was never completed.</summary>
        public void Dispose()
        {
            lock (_lock)
            {
                if (!_completed) _store.Dispose();
                _completed = true;
            }
        }

        internal static ComplianceReport Restore(DateTime generatedAt, IReadOnlyList<string> regions, ComplianceSummary summary,
            IReadOnlyList<PolicyComplianceSummary> policies, IReadOnlyList<AccountComplianceSummary> accounts, ComplianceRowStore rows,
            IReadOnlyDictionary<string, long> calls)
            => new ComplianceReport(generatedAt, regions, summary, policies, accounts, rows, calls);
    }

    /// <summary>One organization of a merged report: its id (organization id or management account id) and friendly name.</summary>
    public sealed class ReportOrganization
    {
        public ReportOrganization(string id, string name)
        {
            Id = id ?? "";
            Name = string.IsNullOrEmpty(name) ? Id : name;
        }

        public string Id { get; }
        public string Name { get; }

        public override string ToString() => Name == Id ? Id : Name + " (" + Id + ")";
    }
}
