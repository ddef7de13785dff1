using System.IO;
using System.Linq;
using FmsTools.Tests.Infrastructure;
using Xunit;

namespace FmsTools.Tests.ComplianceCmdlets
{
    /// <summary>How the compliance cmdlets present themselves to PowerShell's parameter discovery.</summary>
    public sealed class ComplianceParameterTests
    {
        [Fact]
        public void The_report_takes_several_regions_in_place_of_the_connection_region()
        {
            var cmdlets = FmsTools.BuildTools.CommandMetadataReader.Read(Path.Combine(RepoPaths.TestOutput, "FmsTools.dll"));
            var report = cmdlets.Single(c => c.Name == "Get-FmsComplianceReport");
            var region = Assert.Single(report.Parameters, p => p.Name == "Region");
            Assert.Equal("System.String[]", region.Type.FullName);
            Assert.Contains("RegionToCall", region.Aliases);
            // The other compliance cmdlets keep the single connection Region.
            foreach (var name in new[] { "Get-FmsComplianceStatus", "Get-FmsViolation", "Invoke-FmsRemediation", "Test-FmsCompliance", "Assert-FmsCompliance" })
                Assert.Equal("System.String", Assert.Single(cmdlets.Single(c => c.Name == name).Parameters, p => p.Name == "Region").Type.FullName);
        }

        [Fact]
        public void Setting_the_regions_points_the_connection_at_the_first_one()
        {
            var cmdlet = new FmsTools.Commands.GetFmsComplianceReport { Region = new[] { " ", "eu-west-1", "us-east-1" } };
            Assert.Equal("eu-west-1", ((FmsTools.Infrastructure.FmsConnectedCmdlet)cmdlet).Region);
        }
    }
}
