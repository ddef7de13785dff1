using FmsTools.Engine.Policies;

namespace FmsTools.Engine.PolicyOperations
{
    /// <summary>A policy file Export-FmsPolicy wrote. FullName binds to Import-FmsPolicy -Path.</summary>
    public sealed class PolicyFileInfo
    {
        /// <summary>The file name, e.g. web-baseline_0a1b2c3d.fmspolicy.json.</summary>
        public string Name { get; set; } = string.Empty;

        public string FullName { get; set; } = string.Empty;

        public string? DirectoryName { get; set; }

        /// <summary>Bytes written.</summary>
        public long Length { get; set; }

        public DateTime LastWriteTime { get; set; }

        public string PolicyName { get; set; } = string.Empty;

        public string? PolicyId { get; set; }

        public string PolicyType { get; set; } = string.Empty;

        /// <summary>True when an existing file was replaced (-Force).</summary>
        public bool Overwritten { get; set; }

        public override string ToString() => FullName;
    }

    /// <summary>One field that differs between a desired and a deployed policy, with the policy it belongs to.</summary>
    public sealed class FmsPolicyDifference
    {
        public FmsPolicyDifference(string policyName, string? policyId, PolicyDifference difference)
        {
            PolicyName = policyName;
            PolicyId = policyId;
            Path = difference.Path;
            KindValue = difference.KindValue;
            DesiredValue = difference.DesiredValue;
            DeployedValue = difference.DeployedValue;
            Note = difference.Note;
        }

        public string PolicyName { get; }

        public string? PolicyId { get; }

        /// <summary>e.g. "Settings.defaultAction.type" or "Scope.IncludeAccounts".</summary>
        public string Path { get; }

        /// <remarks>The name of a <see cref="PolicyDifferenceKind"/> value (ConvertTo-Json writes enums as numbers); the engine reads KindValue.</remarks>
        public string Kind => KindValue.ToString();

        internal PolicyDifferenceKind KindValue { get; }

        /// <summary>The value in the desired (difference) policy, as compact JSON.</summary>
        public string? DesiredValue { get; }

        /// <summary>The value in the deployed (reference) policy, as compact JSON.</summary>
        public string? DeployedValue { get; }

        public string? Note { get; }

        public override string ToString() => PolicyName + ": " + PolicyDifference.Describe(KindValue, Path, DesiredValue, DeployedValue, note: null);
    }

    public enum PolicyComparisonStatus
    {
        Equal,
        Different,
        /// <summary>No deployed policy has the desired one's id or name.</summary>
        NotDeployed,
    }

    /// <summary>The comparison of one desired policy with the deployed one (Compare-FmsPolicy -Summary).</summary>
    public sealed class FmsPolicyComparison
    {
        public FmsPolicyComparison(string policyName, string? policyId, string policyType, PolicyComparisonStatus status, IReadOnlyList<FmsPolicyDifference> differences)
        {
            PolicyName = policyName;
            PolicyId = policyId;
            PolicyType = policyType;
            StatusValue = status;
            Differences = Items.ReadOnly(differences);
        }

        public string PolicyName { get; }

        public string? PolicyId { get; }

        public string PolicyType { get; }

        /// <remarks>The name of a <see cref="PolicyComparisonStatus"/> value (ConvertTo-Json writes enums as numbers); the engine reads StatusValue.</remarks>
        public string Status => StatusValue.ToString();

        internal PolicyComparisonStatus StatusValue { get; }

        public bool IsEqual => StatusValue == PolicyComparisonStatus.Equal;

        public int DifferenceCount => Differences.Count;

        public IReadOnlyList<FmsPolicyDifference> Differences { get; }

        /// <summary>The changed paths, for the table view.</summary>
        public string DifferenceSummary => string.Join(", ", Differences.Select(d => d.Path));

        public override string ToString() => PolicyName + ": " + Status + (Differences.Count == 0 ? string.Empty : " (" + Differences.Count + " differences)");
    }

    public enum PolicySyncStatus
    {
        /// <summary>The create, update or delete was made.</summary>
        Applied,
        /// <summary>Deployed already equals the file.</summary>
        Unchanged,
        /// <summary>Planned but not made: -WhatIf, or declined at the -Confirm prompt.</summary>
        NotApplied,
        /// <summary>The call failed; the error is written too.</summary>
        Failed,
    }

    /// <summary>One step of Sync-FmsPolicy and what became of it.</summary>
    public sealed class PolicySyncResult
    {
        public PolicySyncResult(SyncActionKind action, string name, string? policyId, string policyType, PolicySyncStatus status,
            IReadOnlyList<PolicyDifference> differences, string message)
        {
            ActionValue = action;
            Name = name;
            PolicyId = policyId;
            PolicyType = policyType;
            StatusValue = status;
            Differences = Items.ReadOnly(differences);
            Message = message;
        }

        /// <remarks>The name of a <see cref="SyncActionKind"/> value (ConvertTo-Json writes enums as numbers); the engine reads ActionValue.</remarks>
        public string Action => ActionValue.ToString();

        internal SyncActionKind ActionValue { get; }

        public string Name { get; }

        /// <summary>The deployed policy's id (for a create, the id FMS gave it once applied).</summary>
        public string? PolicyId { get; }

        public string PolicyType { get; }

        /// <remarks>The name of a <see cref="PolicySyncStatus"/> value (ConvertTo-Json writes enums as numbers); the engine reads StatusValue.</remarks>
        public string Status => StatusValue.ToString();

        internal PolicySyncStatus StatusValue { get; }

        public IReadOnlyList<PolicyDifference> Differences { get; }

        public int DifferenceCount => Differences.Count;

        public string Message { get; }

        public override string ToString() => Action + " " + Name + ": " + Status;
    }
}
