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
    /// The same for an administrator's scope (PutAdminAccount replaces the whole scope): Set-FmsAdminAccount and
    /// Sync-FmsConfiguration's update send the current scope's members, at its top and in a part; and for the notification
    /// channel (Set-FmsNotificationChannel, Sync-FmsConfiguration).
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

        private const string Admin = "admin-accounts/310000000001.fmsadmin.json";

        private static void WriteAdmin(string folder, string region, string member, int limit)
            => Write(folder, Admin, "{ \"schema\": \"fmstools.adminaccount/v1\", \"accountId\": \"310000000001\", \"defaultAdmin\": false, \"scope\": { "
                + "\"allAccounts\": true, \"allOrganizationalUnits\": true, \"allRegions\": false, \"regions\": [ \"" + region + "\" ], \"allPolicyTypes\": true, "
                + "\"AccountScope\": { \"AccountLimit\": " + limit + " }, \"ResourceScope\": \"" + member + "\" } }\n");

        /// <summary>The administrator's stored members and regions as GetAdminScope answers them (through Export-FmsConfiguration).</summary>
        private static string StoredScope(SandboxRunspace env)
        {
            env.Run("$check = Join-Path $dir check-admin; $null = Export-FmsConfiguration -Path $check -Kind AdminAccount -Force @mgmt").ShouldSucceed();
            var scope = JsonNode.Parse(File.ReadAllText(Path.Combine(env.Folder, "check-admin", Admin)))!["scope"]!;
            return scope["ResourceScope"]?.ToJsonString() + " " + scope["AccountScope"]?["AccountLimit"]?.ToJsonString() + " " + scope["regions"]!.ToJsonString();
        }

        [Fact]
        public void Members_a_newer_API_stores_in_an_admin_scope_survive_Set_FmsAdminAccount_and_Sync_FmsConfiguration()
        {
            using var env = new SandboxRunspace(management: true);
            Stored(env.Sandbox, "GetAdminScope", "AdminScope", "ResourceScope");
            Stored(env.Sandbox, "GetAdminScope", "AdminScope.AccountScope", "AccountLimit");
            const string Sync = "Sync-FmsConfiguration -Path (Join-Path $dir cfg) -Kind AdminAccount -ManagementConnection $mgmt -Confirm:$false 3>$null";

            // Created from a file that carries the newer members: the create sends the file's values, the service stores them.
            var cfg = Path.Combine(env.Folder, "cfg");
            WriteAdmin(cfg, "us-east-1", "net", 5);
            var created = env.Run(Sync).ShouldSucceed().OutputOf<FmsConfigurationSyncResult>().Single(r => r.Name == "310000000001");
            Assert.Equal(("Create", "Applied"), (created.Action, created.Status));
            Assert.Equal("\"net\" 5 [\"us-east-1\"]", StoredScope(env));

            // Set-FmsAdminAccount with a new scope (known fields only): the current scope's members go back.
            env.Run("Set-FmsAdminAccount -AccountId 310000000001 -ScopeRegion us-east-1, us-west-2 -Confirm:$false").ShouldSucceed();
            Assert.Equal("\"net\" 5 [\"us-east-1\",\"us-west-2\"]", StoredScope(env));

            // Sync-FmsConfiguration with a known field changed and the file's copies of the members changed: the deployed values go back.
            WriteAdmin(cfg, "eu-west-1", "FROM_THE_FILE", 99);
            var updated = env.Run(Sync).ShouldSucceed().OutputOf<FmsConfigurationSyncResult>().Single(r => r.Name == "310000000001");
            Assert.Equal(("Update", "Applied"), (updated.Action, updated.Status));
            Assert.Equal("\"net\" 5 [\"eu-west-1\"]", StoredScope(env));
        }

        private const string Channel = "us-east-1/notification-channel.fmschannel.json";

        private static void WriteChannel(string folder, string topic, string member)
            => Write(folder, Channel, "{ \"schema\": \"fmstools.notificationchannel/v1\", \"snsTopicArn\": \"arn:aws:sns:us-east-1:222222222222:" + topic
                + "\", \"snsRoleName\": \"arn:aws:iam::222222222222:role/fms-sns\", \"ChannelMode\": \"" + member + "\" }\n");

        /// <summary>The channel's stored member and topic as GetNotificationChannel answers them (through Export-FmsConfiguration).</summary>
        private static string StoredChannel(SandboxRunspace env)
        {
            env.Run("$check = Join-Path $dir check-channel; $null = Export-FmsConfiguration -Path $check -Kind NotificationChannel -Force").ShouldSucceed();
            var channel = JsonNode.Parse(File.ReadAllText(Path.Combine(env.Folder, "check-channel", Channel)))!;
            return channel["ChannelMode"]?.ToJsonString() + " " + ((string?)channel["snsTopicArn"])!.Split(':').Last();
        }

        [Fact]
        public void A_member_a_newer_API_stores_in_the_notification_channel_survives_Set_FmsNotificationChannel_and_Sync_FmsConfiguration()
        {
            using var env = new SandboxRunspace();
            Stored(env.Sandbox, "GetNotificationChannel", "", "ChannelMode");
            const string Sync = "Sync-FmsConfiguration -Path (Join-Path $dir cfg) -Kind NotificationChannel -Confirm:$false 3>$null";

            // Created from a file that carries the newer member: the create sends the file's value, the service stores it.
            var cfg = Path.Combine(env.Folder, "cfg");
            WriteChannel(cfg, "fms-first", "net");
            var created = env.Run(Sync).ShouldSucceed().OutputOf<FmsConfigurationSyncResult>().Single(r => r.Kind == "NotificationChannel");
            Assert.Equal(("Create", "Applied"), (created.Action, created.Status));
            Assert.Equal("\"net\" fms-first", StoredChannel(env));

            // Set-FmsNotificationChannel (known fields only): the current channel's member goes back.
            env.Run("Set-FmsNotificationChannel -SnsTopicArn arn:aws:sns:us-east-1:222222222222:fms-second -SnsRoleArn arn:aws:iam::222222222222:role/fms-sns -Confirm:$false")
                .ShouldSucceed();
            Assert.Equal("\"net\" fms-second", StoredChannel(env));

            // Sync-FmsConfiguration with the topic changed and the file's copy of the member changed: the deployed value goes back.
            WriteChannel(cfg, "fms-third", "FROM_THE_FILE");
            var updated = env.Run(Sync).ShouldSucceed().OutputOf<FmsConfigurationSyncResult>().Single(r => r.Kind == "NotificationChannel");
            Assert.Equal(("Update", "Applied"), (updated.Action, updated.Status));
            Assert.Equal("\"net\" fms-third", StoredChannel(env));
        }
    }
}
