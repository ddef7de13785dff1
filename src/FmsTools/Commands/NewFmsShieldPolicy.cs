using static FmsTools.Infrastructure.PolicyParameterConverter;

namespace FmsTools.Commands
{
    /// <summary>Creates a Shield Advanced policy: Shield protection for every in-scope resource.</summary>
    [Cmdlet(VerbsCommon.New, "FmsShieldPolicy", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class NewFmsShieldPolicy : FmsPolicyBuilderCmdlet
    {
        /// <summary>Automatic application-layer DDoS mitigation: Enabled, Ignored (the service default) or Disabled.</summary>
        [Parameter]
        [ValidateSet("Enabled", "Ignored", "Disabled")]
        public string? AutomaticResponse { get; set; }

        /// <summary>What automatic mitigation does when Enabled: Block or Count.</summary>
        [Parameter]
        [ValidateSet("Block", "Count")]
        public string? AutomaticResponseAction { get; set; }

        /// <summary>Replace WAF Classic web ACLs on CloudFront distributions with FMS-managed WAFv2 web ACLs.</summary>
        [Parameter]
        public SwitchParameter OverrideCustomerWebAclClassic { get; set; }

        [Parameter]
        public SwitchParameter OptimizeUnassociatedWebAcl { get; set; }

        protected override PolicySettings CreateSettings()
        {
            var settings = new ShieldAdvancedPolicySettings
            {
                OverrideCustomerWebAclClassic = OverrideCustomerWebAclClassic.IsPresent ? true : (bool?)null,
                OptimizeUnassociatedWebAcl = OptimizeUnassociatedWebAcl.IsPresent ? true : (bool?)null,
            };
            if (AutomaticResponse != null || AutomaticResponseAction != null)
            {
                settings.AutomaticResponseConfiguration = new ShieldAutomaticResponseConfiguration
                {
                    AutomaticResponseStatus = Wire(AutomaticResponse ?? (AutomaticResponseAction != null ? "Enabled" : "Ignored")),
                    AutomaticResponseAction = AutomaticResponseAction == null ? null : Wire(AutomaticResponseAction),
                };
            }
            return settings;
        }
    }
}
