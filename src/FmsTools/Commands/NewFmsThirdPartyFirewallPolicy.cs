using static FmsTools.Infrastructure.PolicyParameterConverter;

namespace FmsTools.Commands
{
    /// <summary>Creates a third-party firewall policy: Palo Alto Networks Cloud NGFW or Fortigate Cloud Native Firewall.</summary>
    [Cmdlet(VerbsCommon.New, "FmsThirdPartyFirewallPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class NewFmsThirdPartyFirewallPolicy : FmsPolicyBuilderCmdlet
    {
        [Parameter(Mandatory = true)]
        [ValidateSet("PaloAltoCloudNgfw", "FortigateCloudNativeFirewall")]
        public string? Vendor { get; set; }

        /// <summary>The vendor's firewall policy (for Palo Alto, the global rulestack ARN) to apply.</summary>
        [Parameter(Mandatory = true)]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsThirdPartyFirewallPolicyCompleter))]
        public string[]? FirewallPolicy { get; set; }

        [Parameter]
        [ValidateSet("Distributed", "Centralized")]
        public string DeploymentModel { get; set; } = "Distributed";

        /// <summary>Availability Zones for firewall endpoints, by name (us-east-1a).</summary>
        [Parameter]
        public string[]? AvailabilityZone { get; set; }

        protected override PolicySettings CreateSettings()
        {
            var centralized = string.Equals(DeploymentModel, "Centralized", StringComparison.OrdinalIgnoreCase);
            var settings = new ThirdPartyFirewallSettings
            {
                ThirdPartyFirewall = Vendor == "FortigateCloudNativeFirewall" ? FirewallValues.FortigateCloudNativeFirewall : FirewallValues.PaloAltoCloudNgfw,
                DeploymentModel = centralized ? FirewallValues.Centralized : FirewallValues.Distributed,
                FirewallConfig = new ThirdPartyFirewallConfig(),
            };
            settings.FirewallConfig.ThirdPartyFirewallPolicyList.AddRange(FirewallPolicy ?? new string[0]);
            if (AvailabilityZone != null && AvailabilityZone.Length > 0)
            {
                var location = new FirewallEndpointLocation();
                location.AvailabilityZoneConfigList.AddRange(AvailabilityZone.Select(z => new AvailabilityZoneConfig { AvailabilityZoneName = z }));
                var orchestration = new FirewallOrchestrationConfig { FirewallCreationConfig = new FirewallCreationConfig { EndpointLocation = location } };
                settings.FirewallDeploymentModel = centralized
                    ? new FirewallDeploymentModelConfig { Centralized = new CentralizedFirewallDeploymentModel { OrchestrationConfig = orchestration } }
                    : new FirewallDeploymentModelConfig { Distributed = new DistributedFirewallDeploymentModel { OrchestrationConfig = orchestration } };
            }
            return settings;
        }
    }
}
