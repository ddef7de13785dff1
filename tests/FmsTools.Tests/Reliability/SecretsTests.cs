using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FmsTools.Commands;
using FmsTools.Engine.Diagnostics;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
using FmsTools.Sandbox;
using FmsTools.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace FmsTools.Tests.Reliability
{
    /// <summary>
    /// Known fake credentials (access key, secret key, session token) drive a broad set of cmdlets; then every output object
    /// (as JSON), every host stream, every error (message, target, recommended action, exception ToString()), every exported
    /// file and the sandbox's request log (memory and JSON-lines file) is searched for them.
    /// </summary>
    public sealed class SecretsTests : IDisposable
    {
        private const string AccessKey = "ASIARELIABILITY7TEST";
        private const string SecretKey = "reliabilitySecretKey/MustNeverAppear+0001";
        private const string SessionToken = "IQoJb3JpZ2luX2VjEReliabilitySessionTokenMustNeverAppear//////////wEaCXVzLWVhc3QtMSJHMEUCIQD";
        private const string WrongSecret = "wrongSecretKeyThatMustNotBeEchoed0000001";
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "fmstools-secrets", Guid.NewGuid().ToString("N"));
        private readonly ITestOutputHelper _output;

        public SecretsTests(ITestOutputHelper output)
        {
            _output = output;
            Directory.CreateDirectory(_folder);
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);

        [Fact]
        public void Credentials_never_appear_in_outputs_streams_errors_files_or_the_sandbox_log()
        {
            var logFile = Path.Combine(_folder, "requests.jsonl");
            using var sandbox = new ReliabilitySandbox(configure: o => o.RequestLogPath = logFile, accessKey: AccessKey, secretKey: SecretKey, sessionToken: SessionToken,
                afterStart: host => host.AddCredential(new SandboxCredential(AccessKey, SecretKey, host.AdminAccountId, "reliability-role")
                {
                    SessionToken = SessionToken,
                    ExpiresAtUtc = DateTime.UtcNow.AddHours(1),
                    AssumedRoleArn = $"arn:aws:iam::{host.AdminAccountId}:role/reliability-role",
                }));
            var texts = new List<(string Where, string Text)>();
            var exportFolder = Path.Combine(_folder, "export");
            var runs = new List<(string Name, CmdletRun Run)>();
            void Run(string name, FmsCmdlet cmdlet, RecordingCommandHost? host = null) => runs.Add((name, sandbox.Run(cmdlet, host)));

            var session = new RecordingCommandHost();
            Run("Connect-Fms", sandbox.Connect(new ConnectFms()), session);
            Run("Get-FmsContext", new GetFmsContext(), session.Next());
            Run("Get-FmsPolicy -Detailed", new GetFmsPolicy { DetailedFlag = true });
            var policy = runs.Last().Run.Output.OfType<FmsPolicy>().First(p => p.TypeValue == FmsPolicyType.WafV2);
            Run("Export-FmsPolicy", new ExportFmsPolicy { InputObject = policy, Path = exportFolder });
            Run("Test-FmsPolicy -Path", new TestFmsPolicy { Path = Directory.GetFiles(exportFolder) });
            Run("Import-FmsPolicy", new ImportFmsPolicy { Path = new[] { exportFolder } });
            Run("New-FmsWafPolicy", new NewFmsWafPolicy { Name = "secrets-waf", ManagedRuleGroup = new object[] { "AWS/AWSManagedRulesCommonRuleSet" },
                ResourceType = new[] { "AWS::ElasticLoadBalancingV2::LoadBalancer" }, Tag = new Hashtable { ["owner"] = "secops" } });
            Run("Set-FmsPolicy", new SetFmsPolicy { PolicyId = policy.PolicyId, Description = "secrets test", PassThruFlag = true });
            Run("Set-FmsAppsList", new SetFmsAppsList { Name = "secrets-apps", App = new[] { new Engine.Administration.FmsApp("https", "tcp", 443) }, PassThruFlag = true });
            Run("Get-FmsAppsList", new GetFmsAppsList());
            Run("Get-FmsAdminAccount", new GetFmsAdminAccount { IncludeScopeFlag = true });
            Run("Get-FmsNotificationChannel", new GetFmsNotificationChannel());
            Run("Get-FmsTag", new GetFmsTag { ResourceArn = policy.Arn });
            Run("Get-FmsPolicy (missing id: an error record)", new GetFmsPolicy { PolicyId = new[] { "00000000-0000-0000-0000-000000000000" } });
            sandbox.Host.Faults.FailNext("PutPolicy", 1, FaultKind.ResponseLost);
            Run("Set-FmsPolicy (lost answer: OutcomeUnknown)", new SetFmsPolicy { PolicyId = policy.PolicyId, Description = "lost" });
            Run("Get-FmsSandboxRequest", new GetFmsSandboxRequest { Sandbox = sandbox.Host });
            // A wrong secret: the signature error must not echo the secret that was tried.
            var wrong = sandbox.Connect(new GetFmsPolicy());
            wrong.SecretKey = WrongSecret;
            var wrongHost = new RecordingCommandHost();
            FmsError? wrongTerminating = null;
            try
            {
                CmdletRunner.Run(wrong, wrongHost);
            }
            catch (TerminatingErrorException e)
            {
                wrongTerminating = e.Error;
            }
            runs.Add(("Get-FmsPolicy (wrong secret)", new CmdletRun(wrongHost, wrongTerminating)));

            foreach (var (name, run) in runs) _output.WriteLine($"{name}: {run.Output.Count} objects, errors: {string.Join("; ", run.AllErrors.Select(e => e.ErrorId))}");
            Assert.Contains(runs, r => r.Run.AllErrors.Any(e => e.ErrorId == "OutcomeUnknown"));
            Assert.Contains(runs, r => r.Run.AllErrors.Any(e => e.ErrorId == "InvalidSignatureException"));
            Assert.Contains(runs, r => r.Run.AllErrors.Any(e => e.ErrorId == "ResourceNotFoundException"));
            foreach (var (name, run) in runs)
            {
                foreach (var value in OutputJson.Of(run.Output)) texts.Add((name + " output", value));
                foreach (var value in run.Output) texts.Add((name + " output ToString", Convert.ToString(value) ?? ""));
                foreach (var line in run.Host.Verbose) texts.Add((name + " verbose", line));
                foreach (var line in run.Host.Debug) texts.Add((name + " debug", line));
                foreach (var line in run.Host.Warnings) texts.Add((name + " warning", line));
                foreach (var progress in run.Host.Progress) texts.Add((name + " progress", OutputJson.Of(progress)));
                foreach (var error in run.AllErrors)
                {
                    texts.Add((name + " error", error.ToString() + " " + error.RecommendedAction + " " + Convert.ToString(error.TargetObject)));
                    if (error.Exception != null) texts.Add((name + " exception", error.Exception.ToString()));
                }
                foreach (var variable in new[] { FmsConnectedCmdlet.SessionDefaultsVariable })
                    texts.Add((name + " session variable ToString", Convert.ToString(run.Host.GetVariable(variable)) ?? ""));
            }
            foreach (var file in Directory.GetFiles(exportFolder)) texts.Add(("exported " + Path.GetFileName(file), File.ReadAllText(file)));
            foreach (var entry in sandbox.Host.RequestLog.Entries) texts.Add(("request log", OutputJson.Of(entry)));
            sandbox.Host.RequestLog.Dispose();
            texts.Add(("request log file", File.ReadAllText(logFile)));

            var leaks = new List<string>();
            foreach (var (where, text) in texts)
            {
                foreach (var (label, secret) in new[] { ("secret key", SecretKey), ("session token", SessionToken), ("tried secret", WrongSecret), ("access key id", AccessKey) })
                    if (text.IndexOf(secret, StringComparison.Ordinal) >= 0) leaks.Add($"{label} in {where}");
                // Escaped forms too (JSON escapes '+' and '/' in some encoders).
                if (text.Contains("reliabilitySecretKey", StringComparison.Ordinal) || text.Contains("ReliabilitySessionToken", StringComparison.Ordinal))
                    leaks.Add($"part of a secret in {where}");
            }
            var characters = texts.Sum(t => t.Text.Length);
            _output.WriteLine($"secrets: {runs.Count} cmdlet runs, {texts.Count} texts ({characters:N0} characters) scanned, {leaks.Count} leaks");
            Assert.True(texts.Count > 100 && File.Exists(logFile) && new FileInfo(logFile).Length > 0);
            Assert.True(leaks.Count == 0, "Credentials leaked: " + string.Join("; ", leaks.Distinct()));
        }
    }
}
