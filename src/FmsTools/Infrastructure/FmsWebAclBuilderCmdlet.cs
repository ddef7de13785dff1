namespace FmsTools.Infrastructure
{
    /// <summary>
    /// What New-FmsWafPolicy and New-FmsWafClassicPolicy share: the default action of the web ACLs FMS manages, and whether
    /// FMS replaces web ACLs customers already associated with in-scope resources.
    /// </summary>
    public abstract class FmsWebAclBuilderCmdlet : FmsPolicyBuilderCmdlet
    {
        [Parameter]
        [ValidateSet("Allow", "Block")]
        public string DefaultAction { get; set; } = "Allow";

        /// <summary>Replace web ACLs already associated with in-scope resources (unless another FMS policy owns them).</summary>
        [Parameter]
        public SwitchParameter OverrideCustomerWebAclAssociation { get; set; }

        /// <summary>-DefaultAction as the policy's wire value (ALLOW, BLOCK).</summary>
        protected PolicyAction DefaultWebAclAction => new PolicyAction(PolicyParameterConverter.Wire(DefaultAction));
    }
}
