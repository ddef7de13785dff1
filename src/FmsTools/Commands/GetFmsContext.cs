using FmsTools.Engine.Connection;

namespace FmsTools.Commands
{
    /// <summary>Shows who FmsTools is connected as: caller identity, region, endpoint and the FMS administrator.</summary>
    [Cmdlet(VerbsCommon.Get, "FmsContext")]
    [OutputType(typeof(FmsContext))]
    public sealed class GetFmsContext : FmsConnectedCmdlet
    {
        protected override void ProcessCore()
        {
            var resolved = ResolveConnection();
            var session = Session;
            var isSandbox = SandboxSessions.FindByEndpoint(session.EndpointUrl) != null;
            TryItem(null, () => WriteObject(Await((r, ct) => FmsContext.ReadAsync(session, resolved, isSandbox, ct))));
        }
    }
}
