using System;
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
    /// The sandbox's EC2 subset through independent clients: boto3 (every answer's raw XML walked against botocore's ec2
    /// output shapes) and the aws CLI. Skipped with a reason when the tools are missing, unless FMSTOOLS_REQUIRE_CONFORMANCE=1.
    /// </summary>
    public sealed class SandboxEc2ConformanceTests
    {
        private readonly ITestOutputHelper _output;

        public SandboxEc2ConformanceTests(ITestOutputHelper output) { _output = output; }

        [RequiresFact(Prerequisite.Tools, "python3", "boto3")]
        public void TheEc2SubsetThroughBoto3MatchesTheModel() => RunDriver("boto3", 25);

        [RequiresFact(Prerequisite.Tools, "python3", "boto3", "aws")]
        public void TheEc2SubsetThroughTheAwsCliWorks() => RunDriver("cli", 10);

        private void RunDriver(string driver, int minimumCalls)
        {
            using var host = TestSandbox.Start(demo: true);
            var world = host.ReadWorld(w => w);
            const string region = "us-east-1";
            var table = world.GetResources<RouteTable>(DemoOrganization.ProdEuWeb, region).Single(t => t.Name == "bypass-app-b-rt");
            var vpc = world.FindById<Vpc>(table.VpcId)!;
            var subnet = world.GetResources<Subnet>(DemoOrganization.ProdEuWeb, region).Single(s => s.RouteTableId == table.Id);
            var firewall = world.GetResources<NetworkFirewall>(DemoOrganization.ProdEuWeb, region).Single(f => f.VpcId == vpc.Id);
            var config = new
            {
                endpoint = host.Endpoint,
                region,
                management = new[] { host.ManagementAccessKeyId, host.ManagementSecretAccessKey },
                admin = new[] { host.AccessKeyId, host.SecretAccessKey },
                adminAccount = host.AdminAccountId,
                member = DemoOrganization.ProdEuWeb,
                memberWithoutRole = DemoOrganization.ProdData,
                vpcId = vpc.Id,
                routeTableId = table.Id,
                subnetId = subnet.Id,
                internetGatewayId = vpc.InternetGatewayId,
                endpointId = firewall.SubnetMappings.Single(m => m.AvailabilityZone == subnet.AvailabilityZone).EndpointId,
            };
            var configPath = Path.Combine(TestSandbox.TempDirectory(), "ec2-conformance.json");
            File.WriteAllText(configPath, JsonSerializer.Serialize(config));
            var result = ExternalTools.Run("python3", new[] { ScriptPath(), "--driver", driver, "--config", configPath }, null, TimeSpan.FromMinutes(5));
            _output.WriteLine(result.Stdout);
            _output.WriteLine(result.Stderr);
            Assert.True(result.ExitCode == 0, "EC2 conformance problems:\n" + result.Stdout + result.Stderr);
            using var report = JsonDocument.Parse(result.Stdout);
            Assert.Empty(report.RootElement.GetProperty("problems").EnumerateArray());
            Assert.True(report.RootElement.GetProperty("calls").GetArrayLength() >= minimumCalls);
            // The calls reached the sandbox as EC2 calls of the member account, signed for ec2.
            Assert.Contains(host.RequestLog.Entries, e => e.Service == "ec2" && e.Operation == "CreateRouteTable" && e.CallerAccount == DemoOrganization.ProdEuWeb && e.Outcome == "Success");
            Assert.Contains(host.RequestLog.Entries, e => e.Service == "ec2" && e.DryRun && e.Outcome == "DryRunOperation");
        }

        private static string ScriptPath()
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory != null && !File.Exists(Path.Combine(directory.FullName, "FmsTools.sln"))) directory = directory.Parent;
            if (directory is null) throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
            return Path.Combine(directory.FullName, "tests", "FmsTools.Tests", "Sandbox", "conformance", "ec2_conformance.py");
        }
    }
}
