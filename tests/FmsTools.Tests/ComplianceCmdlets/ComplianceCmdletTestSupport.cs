using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FmsTools.Aws.Fms;
using FmsTools.Commands.ComplianceSupport;
using FmsTools.Engine.Compliance;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Sandbox;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>
    /// The demo organization in a sandbox whose clock stands still (nothing converges until a test advances it), with
    /// helpers that compare what FmsTools reports with the demo's documented ground truth. (Cmdlet tests run in a real
    /// runspace: <see cref="FmsTools.Tests.Host.FrozenDemoRunspace"/>.)
    /// </summary>
    public sealed class ComplianceSandbox : IDisposable
    {
        public const string UsEast1 = "us-east-1";
        public const string EuWest1 = "eu-west-1";

        public ComplianceSandbox()
        {
            Host = TestSandbox.Start(demo: true);
        }

        public SandboxHost Host { get; }

        public long Mark => Host.RequestLog.TotalCount;

        /// <summary>Mutating calls the sandbox served since <paramref name="mark"/>.</summary>
        public IReadOnlyList<RequestLogEntry> MutatingCallsSince(long mark)
            => Host.RequestLog.Entries.Skip((int)Math.Max(0, mark - (Host.RequestLog.TotalCount - Host.RequestLog.Entries.Count))).Where(e => e.Mutating).ToList();

        public IReadOnlyList<RequestLogEntry> CallsSince(long mark, string operation)
            => Host.RequestLog.Entries.Skip((int)Math.Max(0, mark - (Host.RequestLog.TotalCount - Host.RequestLog.Entries.Count))).Where(e => e.Operation == operation).ToList();

        public static string PolicyId(string policyName, string region = UsEast1) => DemoOrganization.PolicyId(policyName, region);

        /// <summary>Turns a demo policy's automatic remediation off with GetPolicy/PutPolicy (as an administrator would in the console).</summary>
        public void SetRemediation(string policyName, string region, bool enabled) => SetRemediation(Host, policyName, region, enabled);

        /// <summary>The same in any sandbox with the demo organization.</summary>
        public static void SetRemediation(SandboxHost host, string policyName, string region, bool enabled)
        {
            using var client = SigV4TestClient.Admin(host, region);
            var fms = new FmsClient(client);
            var policy = fms.GetPolicyAsync(new GetPolicyRequest { PolicyId = PolicyId(policyName, region) }).GetAwaiter().GetResult().Policy!;
            policy.RemediationEnabled = enabled;
            fms.PutPolicyAsync(new PutPolicyRequest { Policy = policy }).GetAwaiter().GetResult();
        }

        /// <summary>
        /// A clock for the engine whose waits advance the sandbox's clock instead of sleeping: each poll interval the
        /// engine waits is an interval of sandbox time, so remediation converges exactly as the polling sees it.
        /// </summary>
        public EngineClock SandboxDrivenClock() => SandboxDrivenClock(Host);

        /// <summary>The same over any sandbox whose clock is frozen.</summary>
        public static EngineClock SandboxDrivenClock(SandboxHost host)
        {
            long ticks = 0;
            return new EngineClock(() => TimeSpan.FromTicks(Interlocked.Read(ref ticks)), () => host.Clock.UtcNow, (delay, ct) =>
            {
                ct.ThrowIfCancellationRequested();
                Interlocked.Add(ref ticks, delay.Ticks);
                host.Clock.Advance(delay);
                return Task.CompletedTask;
            });
        }

        /// <summary>"policy|region|account|resource|reason" keys of the ground truth.</summary>
        public static HashSet<string> Expected(params string[] regions)
            => new HashSet<string>(regions.SelectMany(r => DemoOrganization.ExpectedViolations(r)).Select(v => Key(v.PolicyName, v.Region, v.AccountId, v.ResourceId, v.ViolationReason)));

        public static HashSet<string> ExpectedFor(string policyName, string region)
            => new HashSet<string>(DemoOrganization.ExpectedViolations(policyName, region).Select(v => Key(v.PolicyName, v.Region, v.AccountId, v.ResourceId, v.ViolationReason)));

        public static string Key(FmsViolation v) => Key(v.PolicyName, v.Region, v.AccountId, v.ResourceId, v.Reason);

        public static string Key(string policy, string region, string account, string resource, string reason) => string.Join("|", policy, region, account, resource, reason);

        public static string TempDirectory()
        {
            var path = Path.Combine(Path.GetTempPath(), "fmstools-compliance-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(path);
            return path;
        }

        public void Dispose() => Host.Dispose();
    }
}
