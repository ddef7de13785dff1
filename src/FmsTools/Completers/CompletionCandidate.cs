namespace FmsTools.Completers
{
    /// <summary>What a completer offers for one value: the text inserted, the text listed, and a tooltip.</summary>
    public sealed class CompletionCandidate
    {
        public CompletionCandidate(string completionText, string listItemText, string toolTip)
        {
            CompletionText = completionText;
            ListItemText = listItemText;
            ToolTip = toolTip;
        }

        /// <summary>Inserted at the cursor; quoted when the value needs quotes on a command line.</summary>
        public string CompletionText { get; }

        /// <summary>Shown in the menu (Ctrl+Space).</summary>
        public string ListItemText { get; }

        public string ToolTip { get; }

        public override string ToString() => CompletionText;
    }

    /// <summary>The kinds of values FmsTools completes.</summary>
    public enum FmsCompletionKind
    {
        PolicyName,
        PolicyId,
        AccountId,
        OrganizationalUnitId,
        Region,
        ManagedRuleGroup,
    }
}
