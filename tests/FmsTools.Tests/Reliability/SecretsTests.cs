using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Management.Automation;
using FmsTools.Engine.Policies;
using FmsTools.Infrastructure;
using FmsTools.Sandbox;
using FmsTools.Tests.Host;
using Xunit;
using Xunit.Abstractions;

namespace FmsTools.Tests.Reliability
{
    /// <summary>
    /// Known fake credentials (access key, secret key, session token) drive a broad set of cmdlets in a real runspace with
    /// every stream on; then every output object (as JSON and as text), every stream, every error (message, target,
    /// recommended action, exception ToString()), the session's connection variable, the console text, every exported file
    /// and the sandbox's request log (memory and JSON-lines file) is searched for them.
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
            sandbox.Set("exportFolder", exportFolder);
            sandbox.Set("wrong", WrongSecret);
            // Every stream on, as a user debugging a problem would have it.
            sandbox.RunClean("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'");
            var runs = new List<(string Name, PowerShellResult Run)>();
            void Run(string name, string script) => runs.Add((name, sandbox.Run(script)));

            Run("Connect-Fms", "Connect-Fms @connection");
            Run("Get-FmsContext", "Get-FmsContext");
            Run("Get-FmsPolicy -Detailed", "$policy = Get-FmsPolicy -Detailed | Where-Object Type -eq WafV2 | Select-Object -First 1; Get-FmsPolicy -Detailed");
            Assert.Contains(runs.Last().Run.OutputOf<FmsPolicy>(), p => p.TypeValue == FmsPolicyType.WafV2);
            Run("Get-FmsPolicy -Detailed with the connection parameters", "Get-FmsPolicy @connection -Detailed");
            Run("Export-FmsPolicy", "$policy | Export-FmsPolicy -Path $exportFolder");
            Run("Test-FmsPolicy -Path", "Test-FmsPolicy -Path (Get-ChildItem $exportFolder).FullName");
            Run("Import-FmsPolicy", "Import-FmsPolicy -Path $exportFolder");
            Run("New-FmsWafPolicy", "New-FmsWafPolicy -Name secrets-waf -ManagedRuleGroup AWS/AWSManagedRulesCommonRuleSet "
                                    + "-ResourceType AWS::ElasticLoadBalancingV2::LoadBalancer -Tag @{ owner = 'secops' }");
            Run("Set-FmsPolicy", "Set-FmsPolicy -PolicyId $policy.PolicyId -Description 'secrets test' -PassThru");
            Run("Set-FmsAppsList", "Set-FmsAppsList -Name secrets-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 } -PassThru");
            Run("Get-FmsAppsList", "Get-FmsAppsList");
            Run("Get-FmsAdminAccount", "Get-FmsAdminAccount");
            Run("Get-FmsNotificationChannel", "Get-FmsNotificationChannel");
            Run("Get-FmsTag", "Get-FmsTag -ResourceArn $policy.Arn");
            Run("Get-FmsPolicy (missing id: an error record)", "Get-FmsPolicy -PolicyId 00000000-0000-0000-0000-000000000000");
            sandbox.Host.Faults.FailNext("PutPolicy", 1, FaultKind.ResponseLost);
            Run("Set-FmsPolicy (lost answer: OutcomeUnknown)", "Set-FmsPolicy -PolicyId $policy.PolicyId -Description lost");
            Run("Get-FmsSandboxRequest", "Get-FmsSandboxRequest -Sandbox $sandbox");
            // A wrong secret: the signature error must not echo the secret that was tried.
            Run("Get-FmsPolicy (wrong secret)", "$tried = $connection.Clone(); $tried.SecretKey = $wrong; Get-FmsPolicy @tried");
            var sessionDefaults = sandbox.Session.Get(FmsConnectedCmdlet.SessionDefaultsVariable);
            Assert.NotNull(sessionDefaults);

            foreach (var (name, run) in runs) _output.WriteLine($"{name}: {run.Output.Count} objects, errors: {string.Join("; ", run.ErrorIds())}");
            Assert.Contains(runs, r => r.Run.ErrorIds().Contains("OutcomeUnknown"));
            Assert.Contains(runs, r => r.Run.ErrorIds().Contains("InvalidSignatureException"));
            Assert.Contains(runs, r => r.Run.ErrorIds().Contains("ResourceNotFoundException"));
            foreach (var (name, run) in runs)
            {
                foreach (var value in OutputJson.Of(run.Objects())) texts.Add((name + " output", value));
                foreach (var value in run.Output) texts.Add((name + " output ToString", Convert.ToString(value) ?? ""));
                foreach (var line in run.Verbose) texts.Add((name + " verbose", line));
                foreach (var line in run.Debug) texts.Add((name + " debug", line));
                foreach (var line in run.Warnings) texts.Add((name + " warning", line));
                foreach (var record in run.Information) texts.Add((name + " information", Convert.ToString(record.MessageData) ?? ""));
                foreach (var progress in run.Progress) texts.Add((name + " progress", OutputJson.Of(progress)));
                foreach (var error in run.AllErrors())
                {
                    texts.Add((name + " error", error.ToString() + " " + error.Message() + " " + error.ErrorDetails?.RecommendedAction + " " + Convert.ToString(error.TargetObject)));
                    texts.Add((name + " exception", error.Exception.ToString()));
                }
            }
            texts.Add(("session variable ToString", Convert.ToString(sessionDefaults) ?? ""));
            // What the console showed (What if:, prompts and anything written to the host).
            texts.Add(("host text", sandbox.Session.Host.Text));
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
            _output.WriteLine($"secrets: {runs.Count} scripts, {texts.Count} texts ({characters:N0} characters) scanned, {leaks.Count} leaks");
            Assert.True(texts.Count > 100 && File.Exists(logFile) && new FileInfo(logFile).Length > 0);
            Assert.True(leaks.Count == 0, "Credentials leaked: " + string.Join("; ", leaks.Distinct()));
        }
    }
}
