using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using FmsTools.Engine.Configuration;
using FmsTools.Sandbox;
using Xunit;

namespace FmsTools.Tests.Host
{
    /// <summary>
    /// Apps lists, protocols lists and resource sets against a sandbox that plays a newer Firewall Manager API which stores
    /// a member this version does not know (a Put replaces the whole object, so a Put without the member resets it): a
    /// create from a file sends the file's member; updates by Set-FmsAppsList / Set-FmsProtocolsList / Set-FmsResourceSet
    /// (by name, by id, piped) and by Sync-FmsConfiguration send the deployed object's member back, never the file's copy.
    /// </summary>
    public sealed class AdministrationNewerApiTests
    {
        private const string Apps = "us-east-1/apps-lists/newer-apps.fmsappslist.json";
        private const string Protocols = "us-east-1/protocols-lists/newer-protocols.fmsprotocolslist.json";
        private const string Set = "us-east-1/resource-sets/newer-set.fmsresourceset.json";

        private static void Stored(SandboxHost sandbox, string operation, string path, string name)
            => sandbox.AnswerFields.Add(new AnswerField { Operation = operation, Path = path, Name = name, Value = null, Stored = true });

        private static void Write(string folder, string file, string json)
        {
            var path = Path.Combine(folder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, json);
        }

        private static void WriteFiles(string folder, string member, string port, string protocol, string type)
        {
            Write(folder, Apps, "{ \"schema\": \"fmstools.appslist/v1\", \"name\": \"newer-apps\", \"apps\": [ { \"name\": \"web\", \"protocol\": \"tcp\", \"port\": "
                + port + " } ], \"ListOwner\": \"" + member + "\" }\n");
            Write(folder, Protocols, "{ \"schema\": \"fmstools.protocolslist/v1\", \"name\": \"newer-protocols\", \"protocols\": [ \"tcp\", \""
                + protocol + "\" ], \"ListOwner\": \"" + member + "\" }\n");
            Write(folder, Set, "{ \"schema\": \"fmstools.resourceset/v1\", \"name\": \"newer-set\", \"resourceTypes\": [ \"" + type
                + "\" ], \"OwnerTeam\": \"" + member + "\" }\n");
        }

        /// <summary>Each object's stored member as GetAppsList / GetProtocolsList / GetResourceSet answer it (through Export-FmsConfiguration).</summary>
        private static void AssertStored(SandboxRunspace env, string when)
        {
            env.Run("$check = Join-Path $dir check; $null = Export-FmsConfiguration -Path $check -Kind AppsList, ProtocolsList, ResourceSet -Force").ShouldSucceed();
            var check = Path.Combine(env.Folder, "check");
            JsonNode? Member(string file, string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(check, file)))![name];
            Assert.True("net" == (string?)Member(Apps, "ListOwner"), "apps list ListOwner " + when + ": " + Member(Apps, "ListOwner")?.ToJsonString());
            Assert.True("net" == (string?)Member(Protocols, "ListOwner"), "protocols list ListOwner " + when + ": " + Member(Protocols, "ListOwner")?.ToJsonString());
            Assert.True("net" == (string?)Member(Set, "OwnerTeam"), "resource set OwnerTeam " + when + ": " + Member(Set, "OwnerTeam")?.ToJsonString());
        }

        [Fact]
        public void Members_a_newer_API_stores_survive_updates_by_Set_cmdlets_and_Sync_FmsConfiguration()
        {
            using var env = new SandboxRunspace();
            Stored(env.Sandbox, "GetAppsList", "AppsList", "ListOwner");
            Stored(env.Sandbox, "GetProtocolsList", "ProtocolsList", "ListOwner");
            Stored(env.Sandbox, "GetResourceSet", "ResourceSet", "OwnerTeam");
            const string Kinds = " -Kind AppsList, ProtocolsList, ResourceSet";

            // Created from files that carry the newer member: the create sends the file's value, the service stores it.
            var cfg = Path.Combine(env.Folder, "cfg");
            WriteFiles(cfg, "net", "80", "udp", "AWS::EC2::VPC");
            var created = env.Run("$cfg = Join-Path $dir cfg; Sync-FmsConfiguration -Path $cfg" + Kinds + " -Confirm:$false 3>$null").ShouldSucceed()
                .OutputOf<FmsConfigurationSyncResult>().ToList();
            Assert.Equal(3, created.Count(r => r.Action == "Create" && r.Status == "Applied"));
            AssertStored(env, "after the create");

            // Updates by the Set- cmdlets (a known field changed) send the deployed member back.
            env.Run("Set-FmsAppsList -Name newer-apps -App @{ Name = 'web'; Protocol = 'tcp'; Port = 8080 } -Confirm:$false").ShouldSucceed();
            env.Run("Set-FmsProtocolsList -Name newer-protocols -Protocol tcp, icmp -Confirm:$false").ShouldSucceed();
            env.Run("$id = (Get-FmsResourceSet -Name newer-set).Id; Set-FmsResourceSet -Id $id -Name newer-set -ResourceType AWS::EC2::Subnet -Confirm:$false").ShouldSucceed();
            AssertStored(env, "after Set- by name or id");
            env.Run("$list = Get-FmsAppsList -Name newer-apps; $list.Apps[0].Port = 8443; $list | Set-FmsAppsList -Confirm:$false").ShouldSucceed();
            env.Run("$set = Get-FmsResourceSet -Name newer-set; $set.Description = 'piped'; $set | Set-FmsResourceSet -Confirm:$false").ShouldSucceed();
            AssertStored(env, "after a piped Set-");

            // Sync-FmsConfiguration with known fields changed and the file's copy of the member changed: the deployed value goes back.
            WriteFiles(cfg, "FROM_THE_FILE", "81", "udp", "AWS::EC2::VPC");
            var updated = env.Run("Sync-FmsConfiguration -Path $cfg" + Kinds + " -Confirm:$false 3>$null").ShouldSucceed()
                .OutputOf<FmsConfigurationSyncResult>().ToList();
            Assert.Equal(3, updated.Count(r => r.Action == "Update" && r.Status == "Applied"));
            AssertStored(env, "after Sync-FmsConfiguration");
            var check = Path.Combine(env.Folder, "check");
            Assert.Equal(81, (int)JsonNode.Parse(File.ReadAllText(Path.Combine(check, Apps)))!["apps"]![0]!["port"]!);
            Assert.Equal("AWS::EC2::VPC", (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(check, Set)))!["resourceTypes"]![0]);
        }
    }
}
