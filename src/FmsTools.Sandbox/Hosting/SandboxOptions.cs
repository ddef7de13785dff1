using System;
using System.Collections.Generic;

namespace FmsTools.Sandbox
{
    /// <summary>Firewall Manager quotas the sandbox enforces (2023 defaults).</summary>
    public sealed class SandboxQuotas
    {
        public int PoliciesPerAdminAndRegion { get; set; } = 20;
        public int OrganizationalUnitsPerPolicy { get; set; } = 20;
        public int ExplicitAccountsPerPolicy { get; set; } = 200;
        public int ResourceTagsPerPolicy { get; set; } = 8;
        public int ResourceSetsPerAdmin { get; set; } = 20;
        public int ResourcesPerResourceSet { get; set; } = 100;
        public int ResourceSetsPerPolicy { get; set; } = 5;
        public int AppsPerList { get; set; } = 50;
        public int CustomAppsLists { get; set; } = 10;
        public int ProtocolsPerList { get; set; } = 5;
        public int CustomProtocolsLists { get; set; } = 10;
        public int AdministratorsPerOrganization { get; set; } = 10;
    }

    /// <summary>How to start a sandbox: <see cref="SandboxHost.Start(SandboxOptions)"/>.</summary>
    public sealed class SandboxOptions
    {
        /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
        public int Port { get; set; }

        /// <summary>State file (snapshot; a PATH.journal sits beside it), or null to keep state in memory only.</summary>
        public string? Path { get; set; }

        /// <summary>Seed sample FMS objects (policies, lists) and resources so every command has something to show.</summary>
        public bool Demo { get; set; }

        /// <summary>
        /// With <see cref="Demo"/>: the demo organization's accounts, OUs and resources and its associated FMS administrator,
        /// but none of its FMS configuration (no policies), e.g. to sync an exported configuration into.
        /// </summary>
        public bool OrganizationOnly { get; set; }

        /// <summary>Member accounts the world generator creates (besides the management and FMS admin accounts).</summary>
        public int AccountCount { get; set; } = 6;

        public int ResourcesPerAccount { get; set; } = 12;

        /// <summary>Seed of the world generator and of generated ids: the same seed gives the same world.</summary>
        public int Seed { get; set; } = 1;

        /// <summary>The sandbox's home region (the region the CLI and module default to).</summary>
        public string Region { get; set; } = "us-east-1";

        /// <summary>Per-operation token buckets: "PutPolicy", "fms:PutPolicy" or "*".</summary>
        public IDictionary<string, RateLimit> RateLimits { get; } = new Dictionary<string, RateLimit>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Faults active from the start.</summary>
        public IList<FaultRule> Faults { get; } = new List<FaultRule>();

        /// <summary>Seed of the rate-based fault sequence.</summary>
        public int FaultSeed { get; set; } = 1;

        /// <summary>Extra key pairs accepted besides the generated ones.</summary>
        public IList<SandboxCredential> ExtraCredentials { get; } = new List<SandboxCredential>();

        /// <summary>Optional JSON-lines request log file.</summary>
        public string? RequestLogPath { get; set; }

        public int RequestLogCapacity { get; set; } = 10000;

        /// <summary>Sandbox time after a policy change until remediation converges (RemediationEnabled policies).</summary>
        public TimeSpan RemediationDelay { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>Sandbox time an associated administrator's role stays CREATING before READY.</summary>
        public TimeSpan AdminSetupDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Start with the FMS administrator already associated (the usual state of an organization using FMS).</summary>
        public bool AssociateAdministrator { get; set; } = true;

        /// <summary>Start with the sandbox clock frozen, so only Clock.Advance moves it (deterministic tests).</summary>
        public bool FreezeClock { get; set; }

        public SandboxQuotas Quotas { get; set; } = new SandboxQuotas();

        public int MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

        /// <summary>How long a connection may take to deliver a request (or sit idle between requests) before it is closed;
        /// bounds what a slow or stalled client (slowloris) can hold.</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

        /// <summary>How often (real time) due work such as remediation is checked without a clock advance.</summary>
        public TimeSpan BackgroundInterval { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Journal size that triggers compaction into a new snapshot.</summary>
        public long CompactionThresholdBytes { get; set; } = 8 * 1024 * 1024;
    }
}
