using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FmsTools.Engine.Compliance;

namespace FmsTools.Engine.History
{
    /// <summary>What changed between two compliance readings.</summary>
    public enum ComplianceTransition
    {
        /// <summary>The account became non-compliant with the policy.</summary>
        AccountNonCompliant,

        /// <summary>The account is compliant with the policy again.</summary>
        AccountCompliant,

        /// <summary>A resource started violating the policy.</summary>
        ResourceNonCompliant,

        /// <summary>A resource no longer violates the policy.</summary>
        ResourceCompliant,
    }

    /// <summary>One transition seen by Watch-FmsCompliance: an account or a resource changed sides.</summary>
    public sealed class FmsComplianceChange
    {
        /// <summary>When the reading that saw the change was taken (UTC).</summary>
        public DateTime Time { get; set; }

        /// <summary>When the reading it was compared with was taken (UTC).</summary>
        public DateTime PreviousTime { get; set; }

        /// <remarks>The name of a <see cref="ComplianceTransition"/> value (ConvertTo-Json writes enums as numbers); the engine reads TransitionValue.</remarks>
        public string Transition { get => TransitionValue.ToString(); set => TransitionValue = EnumName.Parse<ComplianceTransition>(value, nameof(Transition)); }

        internal ComplianceTransition TransitionValue { get; set; }
        public string PolicyId { get; set; } = "";
        public string PolicyName { get; set; } = "";
        public string Region { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string AccountName { get; set; } = "";

        /// <summary>The account's status before and now (Compliant, NonCompliant, Unknown, ...).</summary>
        public string PreviousStatus { get; set; } = "";
        public string Status { get; set; } = "";

        /// <summary>For resource transitions: the resource and the violation reason (the one it had, for ResourceCompliant).</summary>
        public string? ResourceId { get; set; }
        public string? ResourceType { get; set; }
        public string? Reason { get; set; }

        public bool IsResource => ResourceId != null;

        public override string ToString()
            => $"{Transition}: {PolicyName} {Region} {AccountId}" + (ResourceId == null ? "" : $" {ResourceType} {ResourceId} ({Reason})");
    }

    /// <summary>One account's standing against one policy in a reading.</summary>
    public sealed class ComplianceSnapshotRow
    {
        public string PolicyId { get; set; } = "";
        public string PolicyName { get; set; } = "";
        public string Region { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string AccountName { get; set; } = "";
        public string Status { get; set; } = "";

        /// <summary>The violating resources by resource id.</summary>
        public Dictionary<string, ComplianceSnapshotViolation> Violations { get; set; } = new Dictionary<string, ComplianceSnapshotViolation>(StringComparer.Ordinal);

        [JsonIgnore]
        public string Key => PolicyId + "|" + Region + "|" + AccountId;
    }

    public sealed class ComplianceSnapshotViolation
    {
        public string ResourceType { get; set; } = "";
        public string Reason { get; set; } = "";
    }

    /// <summary>
    /// A compliance reading, small enough to keep in a file between scheduled runs: per policy × account the status
    /// and the violating resources.
    /// </summary>
    public sealed class ComplianceSnapshot
    {
        public const string SchemaValue = "fmstools.compliance-snapshot/v1";

        public string Schema { get; set; } = SchemaValue;
        public DateTime TakenAt { get; set; }
        public List<ComplianceSnapshotRow> Rows { get; set; } = new List<ComplianceSnapshotRow>();

        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
        };

        /// <summary>A reading from compliance rows read with violators (non-compliant rows carry their violations).</summary>
        public static ComplianceSnapshot From(IEnumerable<FmsComplianceStatus> rows, DateTime takenAt)
        {
            var snapshot = new ComplianceSnapshot { TakenAt = takenAt };
            foreach (var row in rows)
            {
                var entry = new ComplianceSnapshotRow
                {
                    PolicyId = row.PolicyId, PolicyName = row.PolicyName, Region = row.Region, AccountId = row.AccountId,
                    AccountName = row.AccountName, Status = row.Status.ToString(),
                };
                foreach (var violation in row.Violations)
                    entry.Violations[violation.ResourceId] = new ComplianceSnapshotViolation { ResourceType = violation.ResourceType, Reason = violation.Reason };
                snapshot.Rows.Add(entry);
            }
            return snapshot;
        }

        /// <summary>
        /// The transitions from <paramref name="previous"/> to <paramref name="current"/>: accounts whose status moved to or from
        /// NonCompliant, and resources that started or stopped violating. A policy × account seen for the first time that is
        /// non-compliant counts as a transition; one that disappeared is not reported (the policy or account is gone). A row
        /// FMS has no result for now (Unknown: re-evaluation pending after a policy change) is no transition either way: its
        /// violations were not read, not fixed (<see cref="KeepKnownFrom"/> keeps the last known row for the next comparison).
        /// </summary>
        public static List<FmsComplianceChange> Compare(ComplianceSnapshot previous, ComplianceSnapshot current)
        {
            if (previous == null) throw new ArgumentNullException(nameof(previous));
            if (current == null) throw new ArgumentNullException(nameof(current));
            var before = new Dictionary<string, ComplianceSnapshotRow>(StringComparer.Ordinal);
            foreach (var row in previous.Rows) before[row.Key] = row;
            var changes = new List<FmsComplianceChange>();
            var nonCompliant = FmsComplianceState.NonCompliant.ToString();
            foreach (var now in current.Rows.OrderBy(r => r.PolicyName, StringComparer.Ordinal).ThenBy(r => r.Region, StringComparer.Ordinal).ThenBy(r => r.AccountId, StringComparer.Ordinal))
            {
                if (!IsKnown(now.Status)) continue;
                before.TryGetValue(now.Key, out var then);
                var previousStatus = then?.Status ?? "";
                FmsComplianceChange Change(ComplianceTransition transition) => new FmsComplianceChange
                {
                    Time = current.TakenAt, PreviousTime = previous.TakenAt, TransitionValue = transition, PolicyId = now.PolicyId,
                    PolicyName = now.PolicyName, Region = now.Region, AccountId = now.AccountId, AccountName = now.AccountName,
                    PreviousStatus = previousStatus, Status = now.Status,
                };
                var wasNonCompliant = previousStatus == nonCompliant;
                var isNonCompliant = now.Status == nonCompliant;
                if (isNonCompliant && !wasNonCompliant) changes.Add(Change(ComplianceTransition.AccountNonCompliant));
                if (wasNonCompliant && !isNonCompliant) changes.Add(Change(ComplianceTransition.AccountCompliant));

                var oldViolations = then?.Violations ?? new Dictionary<string, ComplianceSnapshotViolation>(StringComparer.Ordinal);
                foreach (var added in now.Violations.Where(v => !oldViolations.ContainsKey(v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    var change = Change(ComplianceTransition.ResourceNonCompliant);
                    change.ResourceId = added.Key;
                    change.ResourceType = added.Value.ResourceType;
                    change.Reason = added.Value.Reason;
                    changes.Add(change);
                }
                foreach (var removed in oldViolations.Where(v => !now.Violations.ContainsKey(v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    var change = Change(ComplianceTransition.ResourceCompliant);
                    change.ResourceId = removed.Key;
                    change.ResourceType = removed.Value.ResourceType;
                    change.Reason = removed.Value.Reason;
                    changes.Add(change);
                }
            }
            return changes;
        }

        private static bool IsKnown(string status)
            => status == FmsComplianceState.Compliant.ToString() || status == FmsComplianceState.NonCompliant.ToString();

        /// <summary>
        /// This reading with each Unknown row replaced by the same policy × account's known row in <paramref name="previous"/>:
        /// the baseline for the next comparison, so an account that is briefly Unknown and then NonCompliant again is not
        /// reported as having changed sides twice.
        /// </summary>
        public ComplianceSnapshot KeepKnownFrom(ComplianceSnapshot previous)
        {
            if (previous == null) throw new ArgumentNullException(nameof(previous));
            var known = new Dictionary<string, ComplianceSnapshotRow>(StringComparer.Ordinal);
            foreach (var row in previous.Rows.Where(r => IsKnown(r.Status))) known[row.Key] = row;
            var result = new ComplianceSnapshot { Schema = Schema, TakenAt = TakenAt };
            foreach (var row in Rows)
                result.Rows.Add(!IsKnown(row.Status) && known.TryGetValue(row.Key, out var last) ? last : row);
            return result;
        }

        public string ToJson() => JsonSerializer.Serialize(this, Json);

        /// <summary>Writes the snapshot to a temporary file and moves it over <paramref name="path"/>, so a crash never leaves half a file.</summary>
        public void Save(string path)
        {
            var full = Path.GetFullPath(path);
            var folder = Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            var temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
            File.WriteAllText(temporary, ToJson(), new UTF8Encoding(false));
            if (File.Exists(full)) File.Replace(temporary, full, null);
            else File.Move(temporary, full);
        }

        /// <summary>The snapshot in <paramref name="path"/>, or null when there is no file yet.</summary>
        public static ComplianceSnapshot? Load(string path)
        {
            if (!File.Exists(path)) return null;
            var snapshot = JsonSerializer.Deserialize<ComplianceSnapshot>(File.ReadAllText(path), Json);
            if (snapshot == null || snapshot.Schema != SchemaValue)
                throw new InvalidDataException($"{path} is not a compliance snapshot ({SchemaValue}).");
            return snapshot;
        }
    }
}
