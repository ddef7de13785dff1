using System;
using System.Text.Json.Serialization;
using FmsTools.Engine.Policies;

namespace FmsTools.Engine.History
{
    /// <summary>The operations the change journal records.</summary>
    public static class ChangeOperations
    {
        public const string CreatePolicy = "CreatePolicy";
        public const string UpdatePolicy = "UpdatePolicy";
        public const string DeletePolicy = "DeletePolicy";
        public const string Restore = "Restore";
    }

    public enum ChangeOutcome
    {
        Succeeded,
        Failed,
    }

    /// <summary>
    /// One recorded change: who changed which policy where, when, with what result, and the policy-as-code document
    /// before and after (null where there was none: before a create, after a delete or a failure).
    /// </summary>
    public sealed class FmsChangeEntry
    {
        private FmsPolicy? _before;
        private FmsPolicy? _after;

        public string Id { get; set; } = string.Empty;

        /// <summary>When the change was made, UTC.</summary>
        public DateTime Time { get; set; }

        public string? CallerArn { get; set; }

        /// <summary>CreatePolicy, UpdatePolicy, DeletePolicy or Restore.</summary>
        public string Operation { get; set; } = string.Empty;

        public string? PolicyId { get; set; }
        public string? PolicyName { get; set; }
        public string? PolicyType { get; set; }
        public string? Region { get; set; }

        /// <summary>The administrator account that made the change.</summary>
        public string? Account { get; set; }

        /// <summary>The policy document (fmstools.policy/v1) before the change.</summary>
        public string? BeforeDocument { get; set; }

        /// <summary>The policy document after the change.</summary>
        public string? AfterDocument { get; set; }

        /// <summary>The service request id of a failed call (the service error carries it).</summary>
        public string? RequestId { get; set; }

        public ChangeOutcome Outcome { get; set; }

        /// <summary>The error code and message of a failed change.</summary>
        public string? Error { get; set; }

        /// <summary>
        /// The position of this entry among the recorded versions of its policy (1 = oldest), set when history is read;
        /// 0 for entries that left no version (failures).
        /// </summary>
        [JsonIgnore]
        public int Version { get; set; }

        /// <summary>The policy before the change, ready for Compare-FmsPolicy -ReferencePolicy.</summary>
        [JsonIgnore]
        public FmsPolicy? Before => _before ??= Parse(BeforeDocument);

        /// <summary>The policy after the change, ready for Compare-FmsPolicy -DifferencePolicy.</summary>
        [JsonIgnore]
        public FmsPolicy? After => _after ??= Parse(AfterDocument);

        /// <summary>
        /// The document this entry stands for when restoring to it: what the change left behind, or for a delete the
        /// policy as it was when deleted.
        /// </summary>
        [JsonIgnore]
        public string? RecordedDocument => Outcome != ChangeOutcome.Succeeded ? null : AfterDocument ?? BeforeDocument;

        public override string ToString() => $"{Time:u} {Operation} {PolicyName} ({PolicyId}) {Outcome}";

        private FmsPolicy? Parse(string? document)
        {
            if (string.IsNullOrEmpty(document)) return null;
            var result = PolicyDocumentSerializer.Read("journal entry " + Id, document!);
            if (!result.Success) return null;
            var policy = result.Policy!;
            policy.Region ??= Region;
            return policy;
        }
    }
}
