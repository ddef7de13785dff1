using System.Management.Automation;

// Each type below carries exactly one deliberate defect (named in its comment) except the first two,
// which are correct and must produce no violation.
namespace FmsTools.ContractFixture
{
    public sealed class FmsWidget
    {
        public string Name { get; set; } = "";
        public int Speed { get; set; }
    }

    public sealed class FmsOrphan
    {
        public string Name { get; set; } = "";
    }

    /// <summary>Correct: approved verb, prefixed singular noun, OutputType, table view, full help.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsWidget")]
    [OutputType(typeof(FmsWidget))]
    public sealed class GetFmsWidget : PSCmdlet
    {
        [Parameter(Position = 0)]
        public string[]? Name { get; set; }
    }

    /// <summary>Correct code; its help has only one example, leaves -Speed undocumented and documents a -Colour it does not have.</summary>
    [Cmdlet(VerbsCommon.Set, "FmsWidget", SupportsShouldProcess = true)]
    [OutputType(typeof(FmsWidget))]
    public sealed class SetFmsWidget : PSCmdlet
    {
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public FmsWidget? InputObject { get; set; }

        [Parameter]
        public int Speed { get; set; }
    }

    /// <summary>Defect: 'Fetch' is not an approved verb.</summary>
    [Cmdlet("Fetch", "FmsThing")]
    [OutputType(typeof(FmsWidget))]
    public sealed class FetchFmsThing : PSCmdlet { }

    /// <summary>Defect: noun lacks the Fms prefix.</summary>
    [Cmdlet(VerbsCommon.Get, "Gadget")]
    [OutputType(typeof(FmsWidget))]
    public sealed class GetGadget : PSCmdlet { }

    /// <summary>Defect: plural noun.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsWidgets")]
    [OutputType(typeof(FmsWidget))]
    public sealed class GetFmsWidgets : PSCmdlet { }

    /// <summary>Defect: no [OutputType].</summary>
    [Cmdlet(VerbsCommon.Get, "FmsNoOutput")]
    public sealed class GetFmsNoOutput : PSCmdlet { }

    /// <summary>Defect: [OutputType] names a type that does not exist.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsGhostOutput")]
    [OutputType("FmsTools.ContractFixture.DoesNotExist")]
    public sealed class GetFmsGhostOutput : PSCmdlet { }

    /// <summary>Defect: a mutating verb without SupportsShouldProcess.</summary>
    [Cmdlet(VerbsCommon.Remove, "FmsWidget")]
    [OutputType(typeof(FmsWidget))]
    public sealed class RemoveFmsWidget : PSCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Name { get; set; }
    }

    /// <summary>Defect: defined in the assembly but missing from CmdletsToExport, and has no help file.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsUnlisted")]
    [OutputType(typeof(FmsWidget))]
    public sealed class GetFmsUnlisted : PSCmdlet { }

    /// <summary>Defect: its output type has no table view.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsOrphan")]
    [OutputType(typeof(FmsOrphan))]
    public sealed class GetFmsOrphan : PSCmdlet { }
}
