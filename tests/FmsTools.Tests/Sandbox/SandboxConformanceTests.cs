using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using FmsTools.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>
    /// Every FMS operation through real AWS clients (botocore's parser and signer): boto3 and the aws CLI. The script
    /// checks each response against the model's output shape. Skipped with a reason when the tools are missing,
    /// unless FMSTOOLS_REQUIRE_CONFORMANCE=1.
    /// </summary>
    public sealed class SandboxConformanceTests
    {
        private readonly ITestOutputHelper _output;

        public SandboxConformanceTests(ITestOutputHelper output) { _output = output; }

        [RequiresFact(Prerequisite.Tools, "python3", "boto3")]
        public void EveryFmsOperationThroughBoto3MatchesTheModel() => RunDriver("boto3");

        [RequiresFact(Prerequisite.Tools, "python3", "boto3", "aws")]
        public void EveryFmsOperationThroughTheAwsCliMatchesTheModel() => RunDriver("cli");

        private void RunDriver(string driver)
        {
            using var host = TestSandbox.Start(demo: true);
            var delegateAccount = DemoOrganization.DevTeamA;
            host.AddCredential(new SandboxCredential("AKIACONFORMANCEDEL01", "conformance-delegate-secret", delegateAccount));
            var violation = DemoOrganization.ExpectedViolations(DemoOrganization.WafPolicyName, "us-east-1").First();
            var config = new
            {
                endpoint = host.Endpoint,
                region = "us-east-1",
                keys = new Dictionary<string, string[]>
                {
                    ["admin"] = new[] { host.AccessKeyId, host.SecretAccessKey },
                    ["management"] = new[] { host.ManagementAccessKeyId, host.ManagementSecretAccessKey },
                    ["delegate"] = new[] { "AKIACONFORMANCEDEL01", "conformance-delegate-secret" },
                },
                accounts = new Dictionary<string, string>
                {
                    ["admin"] = host.AdminAccountId,
                    ["management"] = host.ManagementAccountId,
                    ["delegate"] = delegateAccount,
                    ["prodWeb"] = DemoOrganization.ProdWeb,
                    ["prodApi"] = DemoOrganization.ProdApi,
                },
                demoPolicies = new Dictionary<string, string>
                {
                    ["waf"] = DemoOrganization.PolicyId(DemoOrganization.WafPolicyName, "us-east-1"),
                    ["shield"] = DemoOrganization.PolicyId(DemoOrganization.ShieldPolicyName, "us-east-1"),
                    ["networkFirewall"] = DemoOrganization.PolicyId(DemoOrganization.NetworkFirewallPolicyName, "us-east-1"),
                },
                violation = new { account = violation.AccountId, resourceId = violation.ResourceId, resourceType = violation.ResourceType },
                routeViolations = DemoOrganization.ExpectedViolations(DemoOrganization.NetworkFirewallPolicyName, "us-east-1").Where(v => !v.FmsRemediates)
                    .Select(v => new { account = v.AccountId, resourceId = v.ResourceId, resourceType = v.ResourceType, reason = v.ViolationReason, shape = Evaluation.RouteViolationTests.ShapeFor[v.ViolationReason] }).ToList(),
            };
            var configPath = Path.Combine(TestSandbox.TempDirectory(), "conformance.json");
            File.WriteAllText(configPath, JsonSerializer.Serialize(config));
            var result = ExternalTools.Run("python3", new[] { ScriptPath(), "--driver", driver, "--config", configPath }, null, TimeSpan.FromMinutes(8));
            _output.WriteLine(result.Stdout);
            _output.WriteLine(result.Stderr);
            Assert.True(result.ExitCode == 0, "Conformance problems:\n" + result.Stdout + result.Stderr);
            using var report = JsonDocument.Parse(result.Stdout);
            Assert.Equal(42, report.RootElement.GetProperty("modelOperations").GetInt32());
            Assert.Equal(42, report.RootElement.GetProperty("operations").EnumerateObject().Count());
            Assert.Empty(report.RootElement.GetProperty("problems").EnumerateArray());
            // The CLI/boto3 calls reached the sandbox signed as the expected accounts.
            Assert.Contains(host.RequestLog.Entries, e => e.Operation == "AssociateAdminAccount" && e.CallerAccount == host.ManagementAccountId && e.Outcome == "Success");
        }

        private static string ScriptPath()
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory != null && !File.Exists(Path.Combine(directory.FullName, "FmsTools.sln"))) directory = directory.Parent;
            if (directory is null) throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
            return Path.Combine(directory.FullName, "tests", "FmsTools.Tests", "Sandbox", "conformance", "fms_conformance.py");
        }
    }
}
