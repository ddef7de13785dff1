using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FmsTools.Completers
{
    /// <summary>
    /// The PowerShell side of completion, deliberately thin: it reads session variables through the current
    /// runspace and turns <see cref="CompletionEngine"/> candidates into CompletionResults. Uses only APIs
    /// that Windows PowerShell 5.1 has too.
    /// </summary>
    public abstract class FmsArgumentCompleter : IArgumentCompleter
    {
        private readonly FmsCompletionKind _kind;

        protected FmsArgumentCompleter(FmsCompletionKind kind) { _kind = kind; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
            => CompletionEngine.Shared.Complete(_kind, wordToComplete, fakeBoundParameters, ReadVariable)
                .Select(c => new CompletionResult(c.CompletionText, c.ListItemText, CompletionResultType.ParameterValue, c.ToolTip))
                .ToList();

        // Completers run on the pipeline thread of the runspace that asked (TabExpansion2), so a script block
        // reads that runspace's variables (Connect-Fms's session defaults, AWS.Tools' stored settings).
        private static object? ReadVariable(string name)
        {
            try
            {
                return CompletionEngine.BaseObject(ScriptBlock.Create("$" + name).InvokeReturnAsIs());
            }
            catch (RuntimeException)
            {
                return null;
            }
        }
    }

    /// <summary>Policy names (Get-FmsPolicy -Name), with type and id in the tooltip.</summary>
    public sealed class FmsPolicyNameCompleter : FmsArgumentCompleter
    {
        public FmsPolicyNameCompleter() : base(FmsCompletionKind.PolicyName) { }
    }

    /// <summary>Policy ids, listed with their names; typing part of a name finds the id.</summary>
    public sealed class FmsPolicyIdCompleter : FmsArgumentCompleter
    {
        public FmsPolicyIdCompleter() : base(FmsCompletionKind.PolicyId) { }
    }

    /// <summary>Account ids of the organization, listed with their names.</summary>
    public sealed class FmsAccountIdCompleter : FmsArgumentCompleter
    {
        public FmsAccountIdCompleter() : base(FmsCompletionKind.AccountId) { }
    }

    /// <summary>Organizational unit ids, with their path in the tooltip.</summary>
    public sealed class FmsOrganizationalUnitCompleter : FmsArgumentCompleter
    {
        public FmsOrganizationalUnitCompleter() : base(FmsCompletionKind.OrganizationalUnitId) { }
    }

    /// <summary>AWS regions, from a static list.</summary>
    public sealed class FmsRegionCompleter : FmsArgumentCompleter
    {
        public FmsRegionCompleter() : base(FmsCompletionKind.Region) { }
    }

    /// <summary>AWS WAF managed rule groups as 'Vendor/Name' (WAFv2 ListAvailableManagedRuleGroups).</summary>
    public sealed class FmsManagedRuleGroupCompleter : FmsArgumentCompleter
    {
        public FmsManagedRuleGroupCompleter() : base(FmsCompletionKind.ManagedRuleGroup) { }
    }
}
