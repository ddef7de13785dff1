using System.Management.Automation;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
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
        public SwitchParameter OverrideCustomerWebAclClassic { get => new SwitchParameter(OverrideCustomerWebAclClassicFlag); set => OverrideCustomerWebAclClassicFlag = value.IsPresent; }

        /// <summary>-OverrideCustomerWebAclClassic as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool OverrideCustomerWebAclClassicFlag { get; set; }

        [Parameter]
        public SwitchParameter OptimizeUnassociatedWebAcl { get => new SwitchParameter(OptimizeUnassociatedWebAclFlag); set => OptimizeUnassociatedWebAclFlag = value.IsPresent; }

        /// <summary>-OptimizeUnassociatedWebAcl as a plain bool (what the body reads; tests set it directly).</summary>
        internal bool OptimizeUnassociatedWebAclFlag { get; set; }

        protected override PolicySettings CreateSettings()
        {
            var settings = new ShieldAdvancedPolicySettings
            {
                OverrideCustomerWebAclClassic = OverrideCustomerWebAclClassicFlag ? true : (bool?)null,
                OptimizeUnassociatedWebAcl = OptimizeUnassociatedWebAclFlag ? true : (bool?)null,
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
