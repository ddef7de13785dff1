namespace FmsTools.Commands
{
    /// <summary>
    /// Reads policy-as-code files (*.fmspolicy.json) into FmsPolicy objects, without calling AWS. Each bad file is a
    /// non-terminating error naming the file and the field; the other files are still read.
    /// </summary>
    [Cmdlet(VerbsData.Import, "FmsPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FmsPolicy))]
    public sealed class ImportFmsPolicy : FmsCmdlet
    {
        /// <summary>Files or folders (their *.fmspolicy.json files); wildcards allowed. FullName of Export-FmsPolicy output binds here.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        [SupportsWildcards]
        public string[]? Path { get; set; }

        /// <summary>Also read policy files in subfolders of the folders given.</summary>
        [Parameter]
        public SwitchParameter Recurse { get; set; }

        protected override void ProcessCore()
        {
            foreach (var read in PolicyFileReader.Read(this, Path!, Recurse.IsPresent))
            {
                if (read.Policy == null) continue;
                // A file that parses can still hold values FMS would refuse (a 300-character name, an empty rule group
                // name): the same offline checks the builders run, each an error naming the file and the field.
                var invalid = PolicyDocumentSerializer.ValidationErrors(read.File, read.Policy);
                foreach (var error in invalid) WriteFmsError(error.ToFmsError());
                if (invalid.Count > 0) continue;
                // Reading changes nothing; ShouldProcess only lets -WhatIf show which files would be read.
                if (!ShouldProcess(read.File, $"Read {read.Policy.TypeName} policy '{read.Policy.Name}'")) continue;
                WriteObject(read.Policy);
            }
        }
    }
}
