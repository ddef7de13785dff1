using FmsTools.Sandbox;

namespace FmsTools.Commands
{
    /// <summary>Reads a sandbox's request log: which operations were called, by which account, with what outcome.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsSandboxRequest")]
    [OutputType(typeof(RequestLogEntry))]
    public sealed class GetFmsSandboxRequest : FmsCmdlet
    {
        [Parameter(ValueFromPipeline = true, Position = 0)]
        public SandboxHost? Sandbox { get; set; }

        /// <summary>Only operations that change state (Put*, Delete*, Associate*, ...).</summary>
        [Parameter]
        public SwitchParameter Mutating { get; set; }

        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(FmsTools.Completers.FmsSandboxOperationCompleter))]
        public string[]? Operation { get; set; }

        [Parameter]
        public DateTime? Since { get; set; }

        protected override void ProcessCore()
        {
            var host = Sandbox ?? SandboxSessions.Latest();
            if (host == null)
            {
                WriteFmsError(new FmsError("NoSandboxRunning", FmsErrorCategory.ObjectNotFound, "No FMS sandbox is running in this session; Start-FmsSandbox starts one."));
                return;
            }
            var patterns = Patterns(Operation);
            foreach (var entry in host.RequestLog.Entries.Where(e => (!Mutating.IsPresent || e.Mutating) && Wildcard.MatchesAny(e.Operation, patterns)
                                                                   && (!Since.HasValue || e.Time >= Since.Value.ToUniversalTime())))
                WriteObject(entry);
        }
    }
}
