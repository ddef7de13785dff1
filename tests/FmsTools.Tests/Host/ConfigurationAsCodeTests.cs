using System;
using System.IO;
using System.Linq;
using FmsTools.Engine.Configuration;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Export-, Import- and Test-FmsConfiguration in a real runspace against a demo sandbox that also has an apps list,
    /// a protocols list, a resource set with a member VPC, tags, a notification channel and a policy scoped to the set.
    /// </summary>
    public sealed class ConfigurationAsCodeTests
    {
        private const string Vpc = "arn:aws:ec2:us-east-1:310000000001:vpc/vpc-0123456789abcdef0";

        internal const string Arrange =
            "$null = Set-FmsAppsList -Name web-apps -App @{ Name = 'https'; Protocol = 'tcp'; Port = 443 }, @{ Name = 'dns'; Protocol = 'udp'; Port = 53 } -Tag @{ team = 'net' } -Confirm:$false; "
            + "$null = Set-FmsProtocolsList -Name allowed-protocols -Protocol tcp, udp -Confirm:$false; "
            + "$set = Set-FmsResourceSet -Name shared-vpcs -Description 'VPCs of the shared services' -ResourceType AWS::EC2::VPC -Tag @{ env = 'prod' } -PassThru -Confirm:$false; "
            + "$null = $set | Add-FmsResourceSetResource -Uri '" + Vpc + "' -Confirm:$false; "
            + "$null = Set-FmsNotificationChannel -SnsTopicArn 'arn:aws:sns:us-east-1:222222222222:fms-alerts' -SnsRoleArn 'arn:aws:iam::222222222222:role/fms-sns' -Confirm:$false; "
            + "$null = New-FmsImportNetworkFirewallPolicy -Name scoped-import -ResourceSetId $set.Id -Confirm:$false";

        [Fact]
        public void Export_then_import_gives_back_every_object_with_references_by_name_and_a_second_export_changes_no_byte()
        {
            using var env = new SandboxRunspace();
            env.Run(Arrange).ShouldSucceed();
            var export = env.Run("Export-FmsConfiguration -Path $dir").ShouldSucceed();
            var files = export.OutputOf<FmsConfigurationFile>().ToList();
            Assert.All(files, f => Assert.Equal("Written", f.Status));
            Assert.Contains(files, f => f.File == "us-east-1/apps-lists/web-apps.fmsappslist.json");
            Assert.Contains(files, f => f.File == "us-east-1/protocols-lists/allowed-protocols.fmsprotocolslist.json");
            Assert.Contains(files, f => f.File == "us-east-1/resource-sets/shared-vpcs.fmsresourceset.json");
            Assert.Contains(files, f => f.File == "us-east-1/notification-channel.fmschannel.json");
            Assert.Contains(files, f => f.File == "us-east-1/policies/scoped-import.fmspolicy.json");
            // The demo connection is the FMS administrator, not the management account: administrators are not listed.
            Assert.Contains(export.Warnings, w => w.StartsWith("Administrator accounts were not exported", StringComparison.Ordinal));

            // The policy file names its resource set by name, never by the generated id.
            var policyText = File.ReadAllText(files.Single(f => f.Name == "scoped-import").FullName);
            Assert.Contains("\"shared-vpcs\"", policyText);
            var setId = env.Run("(Get-FmsResourceSet -Name shared-vpcs).Id").ShouldSucceed().Output.Single().ToString();
            Assert.DoesNotContain(setId!, policyText);
            Assert.DoesNotContain("policyId", policyText);

            var imported = env.Run("Import-FmsConfiguration -Path $dir").ShouldSucceed();
            Assert.Empty(imported.Warnings);
            var items = imported.OutputOf<FmsConfigurationItem>().ToList();
            Assert.Equal(files.Count, items.Count);
            var apps = items.Single(i => i.Kind == "AppsList").AppsList!;
            Assert.Equal(new[] { "https tcp 443", "dns udp 53" }, apps.Apps.Select(a => $"{a.Name} {a.Protocol} {a.Port}"));
            Assert.Equal("net", items.Single(i => i.Kind == "AppsList").Tags["team"]);
            Assert.Equal(new[] { "tcp", "udp" }, items.Single(i => i.Kind == "ProtocolsList").ProtocolsList!.Protocols);
            var set = items.Single(i => i.Kind == "ResourceSet");
            Assert.Equal(new[] { Vpc }, set.Resources);
            Assert.Equal("VPCs of the shared services", set.ResourceSet!.Description);
            Assert.Equal("prod", set.Tags["env"]);
            Assert.Equal("arn:aws:iam::222222222222:role/fms-sns", items.Single(i => i.Kind == "NotificationChannel").NotificationChannel!.SnsRoleName);
            var policy = items.Single(i => i.Name == "scoped-import");
            Assert.Equal(new[] { "shared-vpcs" }, policy.ResourceSetNames);
            Assert.Empty(policy.Policy!.Scope!.ResourceSetIds);

            // Every imported policy has the live policy's settings (zero differences, through Compare-FmsPolicy's comparer).
            var differences = env.Run(
                "$live = Get-FmsPolicy -Detailed; foreach ($i in (Import-FmsConfiguration -Path $dir -Kind Policy)) { "
                + "$l = $live | Where-Object Name -eq $i.Name; $p = $i.Policy; $p.Scope.ResourceSetIds = $l.Scope.ResourceSetIds; Compare-FmsPolicy -ReferencePolicy $l -DifferencePolicy $p }").ShouldSucceed();
            Assert.Empty(differences.Output);

            var bytes = Directory.GetFiles(env.Folder, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
            var again = env.Run("Export-FmsConfiguration -Path $dir").ShouldSucceed().OutputOf<FmsConfigurationFile>().ToList();
            Assert.All(again, f => Assert.Equal("Unchanged", f.Status));
            Assert.Equal(bytes, Directory.GetFiles(env.Folder, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes).ToList());

            var test = env.Run("Test-FmsConfiguration -Path $dir -Online").ShouldSucceed();
            Assert.DoesNotContain(test.OutputOf<FmsConfigurationFinding>(), f => f.Severity == "Error");
        }

        [Fact]
        public void A_policy_naming_a_resource_set_the_folder_lacks_is_a_finding_naming_file_object_and_field_and_is_not_imported()
        {
            using var env = new SandboxRunspace();
            env.Run(Arrange).ShouldSucceed();
            env.Run("$null = Export-FmsConfiguration -Path $dir -Kind Policy, ResourceSet").ShouldSucceed();
            var file = Path.Combine(env.Folder, "us-east-1", "policies", "scoped-import.fmspolicy.json");
            File.WriteAllText(file, File.ReadAllText(file).Replace("\"shared-vpcs\"", "\"no-such-set\""));

            var findings = env.Run("Test-FmsConfiguration -Path $dir").ShouldSucceed().OutputOf<FmsConfigurationFinding>().ToList();
            var finding = Assert.Single(findings);
            Assert.Equal("Error", finding.Severity);
            Assert.Equal("us-east-1/policies/scoped-import.fmspolicy.json", finding.File);
            Assert.Equal("Policy", finding.Kind);
            Assert.Equal("scoped-import", finding.Object);
            Assert.Equal("scope.resourceSetIds[0]", finding.Field);
            Assert.Equal("Configuration.Reference.ResourceSet", finding.Rule);
            Assert.Contains("no-such-set", finding.Message);
            Assert.Equal("False", env.Run("Test-FmsConfiguration -Path $dir -Quiet").ShouldSucceed().Output.Single().ToString());

            var imported = env.Run("Import-FmsConfiguration -Path $dir");
            var error = Assert.Single(imported.Errors);
            Assert.StartsWith("ConfigurationInvalid,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidData, error.CategoryInfo.Category);
            Assert.Contains("scope.resourceSetIds[0]", error.Exception.Message);
            Assert.DoesNotContain(imported.OutputOf<FmsConfigurationItem>(), i => i.Name == "scoped-import");
            Assert.Contains(imported.OutputOf<FmsConfigurationItem>(), i => i.Name == "shared-vpcs");
        }

        [Fact]
        public void Through_the_management_account_administrators_are_exported_with_their_scope()
        {
            using var env = new SandboxRunspace(management: true);
            var export = env.Run("Export-FmsConfiguration -Path $dir -Kind AdminAccount").ShouldSucceed();
            var file = Assert.Single(export.OutputOf<FmsConfigurationFile>());
            Assert.Equal("admin-accounts/222222222222.fmsadmin.json", file.File);
            var admin = env.Run("Import-FmsConfiguration -Path $dir").ShouldSucceed().OutputOf<FmsConfigurationItem>().Single().AdminAccount!;
            Assert.Equal("222222222222", admin.AccountId);
            Assert.True(admin.IsDefaultAdmin);
        }

        [Fact]
        public void A_changed_file_is_not_overwritten_without_Force_and_Force_removes_the_files_of_deleted_objects()
        {
            using var env = new SandboxRunspace();
            env.Run("$null = Set-FmsProtocolsList -Name allowed-protocols -Protocol tcp -Confirm:$false; $null = Export-FmsConfiguration -Path $dir -Kind ProtocolsList").ShouldSucceed();
            var file = Path.Combine(env.Folder, "us-east-1", "protocols-lists", "allowed-protocols.fmsprotocolslist.json");
            File.WriteAllText(file, File.ReadAllText(file).Replace("\"tcp\"", "\"udp\""));
            var refused = env.Run("Export-FmsConfiguration -Path $dir -Kind ProtocolsList");
            Assert.StartsWith("FileExists,", Assert.Single(refused.Errors).FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Contains("\"udp\"", File.ReadAllText(file));

            env.Run("Get-FmsProtocolsList -Name allowed-protocols | Remove-FmsProtocolsList -Confirm:$false").ShouldSucceed();
            var forced = env.Run("Export-FmsConfiguration -Path $dir -Kind ProtocolsList -Force").ShouldSucceed().OutputOf<FmsConfigurationFile>().ToList();
            Assert.Equal("Removed", Assert.Single(forced).Status);
            Assert.False(File.Exists(file));
        }
    }
}
