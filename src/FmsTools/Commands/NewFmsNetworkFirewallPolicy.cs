using System.Text.Json.Nodes;
using static FmsTools.Infrastructure.PolicyParameterConverter;
using FmsTools.Completers;

namespace FmsTools.Commands
{
    /// <summary>
    /// Creates an AWS Network Firewall policy: distributed (a firewall endpoint in every in-scope VPC) or centralized
    /// (one inspection VPC), with the firewall policy FMS builds from your rule groups.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FmsNetworkFirewallPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class NewFmsNetworkFirewallPolicy : FmsNetworkFirewallBuilderCmdlet
    {
        [Parameter]
        [ValidateSet("Distributed", "Centralized")]
        public string DeploymentModel { get; set; } = "Distributed";

        [Parameter]
        [ValidateSet("DefaultActionOrder", "StrictOrder")]
        public string? StatefulRuleOrder { get; set; }

        /// <summary>Strict-order default actions, e.g. aws:drop_strict, aws:alert_established.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(FmsStatefulDefaultActionCompleter))]
        public string[]? StatefulDefaultAction { get; set; }

        /// <summary>Availability Zones for firewall endpoints, by name (us-east-1a) or id (use1-az1).</summary>
        [Parameter]
        public string[]? AvailabilityZone { get; set; }

        /// <summary>CIDR blocks FMS may use for firewall subnets.</summary>
        [Parameter]
        public string[]? AllowedIpv4Cidr { get; set; }

        /// <summary>Distributed model: one endpoint per VPC instead of one per Availability Zone.</summary>
        [Parameter]
        public SwitchParameter SingleFirewallEndpointPerVpc { get; set; }

        /// <summary>Distributed model: Monitor reports routes that bypass the firewall; Off does not.</summary>
        [Parameter]
        [ValidateSet("Off", "Monitor")]
        public string? RouteManagementAction { get; set; }

        /// <summary>Centralized model: the inspection VPC.</summary>
        [Parameter]
        public string? InspectionVpcId { get; set; }

        /// <summary>Centralized model: the account that owns the inspection VPC.</summary>
        [ValidateFmsId(IdentifierKind.AccountId)]
        [Parameter]
        [ArgumentCompleter(typeof(FmsAccountIdCompleter))]
        public string? InspectionAccountId { get; set; }

        /// <summary>Network Firewall logging configuration (hashtable or JSON).</summary>
        [Parameter]
        [JsonInputTransformation(nameof(LoggingConfiguration))]
        public JsonNode? LoggingConfiguration { get; set; }

        protected override PolicySettings CreateSettings()
        {
            var centralized = string.Equals(DeploymentModel, "Centralized", StringComparison.OrdinalIgnoreCase);
            var settings = new NetworkFirewallSettings { DeploymentModel = centralized ? FirewallValues.Centralized : null };
            var config = settings.FirewallPolicy;
            AddRuleGroups(config);
            config.StatefulDefaultActions = StatefulDefaultAction?.ToList() ?? new List<string>();
            if (StatefulRuleOrder != null)
                config.StatefulEngineOptions = new NetworkFirewallStatefulEngineOptions { RuleOrder = StatefulRuleOrder == "StrictOrder" ? FirewallValues.StrictOrder : FirewallValues.DefaultActionOrder };
            config.LoggingConfiguration = LoggingConfiguration?.DeepClone();

            var creation = Zones();
            var cidrs = AllowedIpv4Cidr?.ToList() ?? new List<string>();
            if (centralized)
            {
                var orchestration = new FirewallOrchestrationConfig { FirewallCreationConfig = creation, AllowedIpv4CidrList = cidrs };
                if (InspectionVpcId != null || InspectionAccountId != null)
                    orchestration.InspectionVpcIds.Add(new InspectionVpc { ResourceId = InspectionVpcId, AccountId = InspectionAccountId });
                settings.FirewallDeploymentModel = new FirewallDeploymentModelConfig
                {
                    Centralized = new CentralizedFirewallDeploymentModel { OrchestrationConfig = orchestration },
                };
            }
            else if (creation != null || cidrs.Count > 0 || SingleFirewallEndpointPerVpc.IsPresent || RouteManagementAction != null)
            {
                settings.OrchestrationConfig = new NetworkFirewallOrchestrationConfig
                {
                    FirewallCreationConfig = creation,
                    AllowedIpv4CidrList = cidrs,
                    SingleFirewallEndpointPerVpc = SingleFirewallEndpointPerVpc.IsPresent ? true : (bool?)null,
                    RouteManagementAction = RouteManagementAction == null ? null : Wire(RouteManagementAction),
                };
            }
            return settings;
        }

        private FirewallCreationConfig? Zones()
        {
            if (AvailabilityZone == null || AvailabilityZone.Length == 0) return null;
            var location = new FirewallEndpointLocation();
            foreach (var zone in AvailabilityZone) location.AvailabilityZoneConfigList.Add(AvailabilityZoneConfig.FromNameOrId(zone));
            return new FirewallCreationConfig { EndpointLocation = location };
        }
    }
}
