using System.Text;
using System.Text.RegularExpressions;
using FmsTools.Aws.Fms;

namespace FmsTools.Engine.Remediation
{
    /// <summary>The commands that carry out one EC2 remediation action, in two dialects.</summary>
    public sealed class Ec2Commands
    {
        public Ec2Commands(IReadOnlyList<string> awsCli, IReadOnlyList<string> powerShell)
        {
            AwsCli = awsCli ?? throw new ArgumentNullException(nameof(awsCli));
            PowerShell = powerShell ?? throw new ArgumentNullException(nameof(powerShell));
        }

        /// <summary>aws CLI (POSIX shell) lines; comment lines start with #.</summary>
        public IReadOnlyList<string> AwsCli { get; }

        /// <summary>AWS.Tools.EC2 lines; empty entries never; a comment line where no AWS.Tools cmdlet was confirmed.</summary>
        public IReadOnlyList<string> PowerShell { get; }
    }

    /// <summary>
    /// Turns the EC2 remediation actions FMS suggests (GetViolationDetails' RemediationAction, botocore fms model) into
    /// the aws CLI and AWS.Tools.EC2 commands an administrator runs in the member account. Subcommands and flags are the
    /// botocore ec2 operation and member names in kebab case; every value from the service is quoted for its shell
    /// (POSIX single quotes; PowerShell single quotes, typographic quotes doubled too), so no value can end its quoting.
    /// FmsTools does not run these commands (it has no EC2 client).
    /// </summary>
    public static class Ec2CommandBuilder
    {
        /// <summary>Written in the PowerShell form of actions whose AWS.Tools cmdlet name was not confirmed.</summary>
        public const string NoPowerShellForm = "# No AWS.Tools.EC2 form is generated for this action: run its aws CLI command (AwsCliCommand).";

        /// <summary>The shell variable the route table a step creates is kept in; later steps of the same remediation name it.</summary>
        public const string CliRouteTableVariable = "ROUTE_TABLE_ID";

        /// <summary>The PowerShell variable later steps use for the route table an earlier step creates.</summary>
        public const string PowerShellRouteTableVariable = "routeTableId";

        // Stands for "the route table an earlier step creates" (FMS leaves RouteTableId empty there). Compared by reference,
        // so no value from the service can be mistaken for it.
        private static readonly string NewRouteTable = new string(new[] { '<', 'n', 'e', 'w', '>' });

        private static readonly Regex ShellSafe = new Regex(@"^[A-Za-z0-9_./:,=@+%-]+$", RegexOptions.CultureInvariant);
        private static readonly Regex NegativeInteger = new Regex(@"^-[0-9]+$", RegexOptions.CultureInvariant);

        /// <summary>The comment line that opens a step's commands: where to run them.</summary>
        public static string Header(string accountId, string accountName, string region)
        {
            var account = string.IsNullOrEmpty(accountId) ? "the member account" : "account " + accountId;
            if (!string.IsNullOrEmpty(accountName)) account += " (" + accountName + ")";
            return Comment($"Run in {account}, Region {(string.IsNullOrEmpty(region) ? "(unknown)" : region)}, with that account's credentials (FMS's member account, not the administrator's).");
        }

        /// <summary>A one-line comment valid in both shells: control and line-separator characters become spaces.</summary>
        public static string Comment(string text)
        {
            var builder = new StringBuilder("# ");
            foreach (var c in text ?? "")
                builder.Append(char.IsControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
            return builder.ToString();
        }

        /// <summary>A POSIX shell word for the value: bare when only safe characters, else single-quoted.</summary>
        public static string QuoteShell(string value)
        {
            if (ReferenceEquals(value, NewRouteTable)) return "\"$" + CliRouteTableVariable + "\"";
            value ??= "";
            if (value.Length > 0 && ShellSafe.IsMatch(value)) return value;
            return "'" + value.Replace("'", "'\\''") + "'";
        }

        /// <summary>A PowerShell single-quoted string literal (every single-quote character PowerShell knows is doubled).</summary>
        public static string QuotePowerShell(string value)
        {
            if (ReferenceEquals(value, NewRouteTable)) return "$" + PowerShellRouteTableVariable;
            return PowerShellLiteral.Quote(value);
        }

        /// <summary>The commands for an action, or null when it is no EC2 action or lacks what the API requires.</summary>
        public static Ec2Commands? Build(RemediationAction? action, string region)
        {
            if (action == null) return null;
            if (action.EC2CreateRouteAction is { } create)
                return Route(region, "create-route", "New-EC2Route", Id(create.RouteTableId) ?? NewRouteTable, create.DestinationCidrBlock, create.DestinationIpv6CidrBlock,
                    create.DestinationPrefixListId, Id(create.GatewayId) ?? Id(create.VpcEndpointId), create.VpcEndpointId != null && create.GatewayId == null);
            if (action.EC2ReplaceRouteAction is { } replace)
                return Route(region, "replace-route", "Set-EC2Route", Id(replace.RouteTableId) ?? NewRouteTable, replace.DestinationCidrBlock, replace.DestinationIpv6CidrBlock,
                    replace.DestinationPrefixListId, Id(replace.GatewayId), false);
            if (action.EC2DeleteRouteAction is { } delete)
                return Route(region, "delete-route", "Remove-EC2Route", Id(delete.RouteTableId), delete.DestinationCidrBlock, delete.DestinationIpv6CidrBlock,
                    delete.DestinationPrefixListId, null, false);
            if (action.EC2CopyRouteTableAction is { } copy)
            {
                var vpc = Id(copy.VpcId);
                var source = Id(copy.RouteTableId);
                if (vpc == null || source == null) return null;
                return new Ec2Commands(new[]
                {
                    CreateTable(region, vpc),
                    Comment($"EC2 has no copy operation: recreate each route of {source} in the new table (aws ec2 create-route --route-table-id \"$ROUTE_TABLE_ID\" ...); list them with:"),
                    Cli(region, "describe-route-tables", ("route-table-ids", source)),
                }, new[] { NoPowerShellForm, SetVariableNote });
            }
            if (action.EC2ReplaceRouteTableAssociationAction is { } replaceAssociation)
            {
                var association = Id(replaceAssociation.AssociationId);
                var table = Id(replaceAssociation.RouteTableId) ?? NewRouteTable;
                if (association == null) return null;
                return Both(region, "replace-route-table-association", "Set-EC2RouteTableAssociation", ("association-id", association), ("route-table-id", table));
            }
            if (action.EC2AssociateRouteTableAction is { } associate)
            {
                var table = Id(associate.RouteTableId) ?? NewRouteTable;
                var subnet = Id(associate.SubnetId);
                var gateway = Id(associate.GatewayId);
                if (subnet == null && gateway == null) return null;
                return subnet != null
                    ? Both(region, "associate-route-table", "Register-EC2RouteTable", ("route-table-id", table), ("subnet-id", subnet))
                    : Both(region, "associate-route-table", "Register-EC2RouteTable", ("route-table-id", table), ("gateway-id", gateway!));
            }
            if (action.EC2CreateRouteTableAction is { } createTable)
            {
                var vpc = Id(createTable.VpcId);
                return vpc == null ? null : new Ec2Commands(new[] { CreateTable(region, vpc) }, new[] { NoPowerShellForm, SetVariableNote });
            }
            if (action.CreateNetworkAclAction is { } createAcl)
            {
                var vpc = Id(createAcl.Vpc);
                return vpc == null ? null : Both(region, "create-network-acl", "New-EC2NetworkAcl", ("vpc-id", vpc));
            }
            if (action.ReplaceNetworkAclAssociationAction is { } replaceAcl)
            {
                var association = Id(replaceAcl.AssociationId);
                var acl = Id(replaceAcl.NetworkAclId);
                if (association == null || acl == null) return null;
                return new Ec2Commands(new[] { Cli(region, "replace-network-acl-association", ("association-id", association), ("network-acl-id", acl)) },
                    new[] { NoPowerShellForm });
            }
            if (action.CreateNetworkAclEntriesAction is { } createEntries)
                return Entries(region, Id(createEntries.NetworkAclId), createEntries.NetworkAclEntriesToBeCreated, create: true);
            if (action.DeleteNetworkAclEntriesAction is { } deleteEntries)
                return Entries(region, Id(deleteEntries.NetworkAclId), deleteEntries.NetworkAclEntriesToBeDeleted, create: false);
            return null;
        }

        private static readonly string SetVariableNote = "# Then set $" + PowerShellRouteTableVariable + " to the new route table's id (the later steps use it).";

        /// <summary>create-route-table, keeping the new table's id in $ROUTE_TABLE_ID for the steps that follow.</summary>
        private static string CreateTable(string region, string vpc)
            => CliRouteTableVariable + "=$(" + Cli(region, "create-route-table", ("vpc-id", vpc)) + " --query RouteTable.RouteTableId --output text)";

        private static string? Id(ActionTarget? target) => string.IsNullOrEmpty(target?.ResourceId) ? null : target!.ResourceId;

        private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static Ec2Commands? Route(string region, string subcommand, string cmdlet, string? table, string? v4, string? v6, string? prefixList,
            string? target, bool vpcEndpoint)
        {
            if (table == null) return null;
            var parameters = new List<(string Member, string Value)> { ("RouteTableId", table) };
            if (NonEmpty(v4) is { } cidr) parameters.Add(("DestinationCidrBlock", cidr));
            else if (NonEmpty(v6) is { } ipv6) parameters.Add(("DestinationIpv6CidrBlock", ipv6));
            else if (NonEmpty(prefixList) is { } list) parameters.Add(("DestinationPrefixListId", list));
            else return null;
            if (subcommand != "delete-route")
            {
                if (target == null) return null;
                parameters.Add((vpcEndpoint ? "VpcEndpointId" : FmsTools.Aws.Ec2.Ec2RouteSpec.MemberFor(target), target));
            }
            return Both(region, subcommand, cmdlet, parameters.Select(p => (Kebab(p.Member), p.Value)).ToArray());
        }

        private static Ec2Commands? Entries(string region, string? acl, List<EntryDescription>? entries, bool create)
        {
            if (acl == null || entries == null || entries.Count == 0) return null;
            var cli = new List<string>();
            var ps = new List<string>();
            foreach (var entry in entries)
            {
                var detail = entry.EntryDetail;
                if (entry.EntryRuleNumber == null || detail == null)
                {
                    var note = Comment($"An entry of {acl} without a rule number or detail (FMS entry type {entry.EntryType}): no command.");
                    cli.Add(note);
                    ps.Add(note);
                    continue;
                }
                var rule = entry.EntryRuleNumber.Value.ToString(CultureInfo.InvariantCulture);
                var egress = detail.Egress == true;
                var c = new StringBuilder("aws ec2 ").Append(create ? "create-network-acl-entry" : "delete-network-acl-entry");
                var p = new StringBuilder(create ? "New-EC2NetworkAclEntry" : "Remove-EC2NetworkAclEntry");
                c.Append(CliFlag("network-acl-id", acl)).Append(" --rule-number ").Append(rule);
                p.Append(" -NetworkAclId ").Append(QuotePowerShell(acl)).Append(" -RuleNumber ").Append(rule);
                if (create)
                {
                    c.Append(CliFlag("protocol", detail.Protocol ?? "-1")).Append(CliFlag("rule-action", detail.RuleAction ?? ""));
                    p.Append(" -Protocol ").Append(QuotePowerShell(detail.Protocol ?? "-1")).Append(" -RuleAction ").Append(QuotePowerShell(detail.RuleAction ?? ""));
                }
                c.Append(egress ? " --egress" : " --ingress");
                p.Append(" -Egress ").Append(egress ? "$true" : "$false");
                if (create)
                {
                    if (NonEmpty(detail.CidrBlock) is { } cidr)
                    {
                        c.Append(CliFlag("cidr-block", cidr));
                        p.Append(" -CidrBlock ").Append(QuotePowerShell(cidr));
                    }
                    if (NonEmpty(detail.Ipv6CidrBlock) is { } ipv6)
                    {
                        c.Append(CliFlag("ipv6-cidr-block", ipv6));
                        p.Append(" -Ipv6CidrBlock ").Append(QuotePowerShell(ipv6));
                    }
                    if (detail.PortRange is { From: { } from, To: { } to })
                    {
                        c.Append(" --port-range From=").Append(Int(from)).Append(",To=").Append(Int(to));
                        p.Append(" -PortRange_From ").Append(Int(from)).Append(" -PortRange_To ").Append(Int(to));
                    }
                    if (detail.IcmpTypeCode is { Code: { } code, Type: { } type })
                    {
                        c.Append(" --icmp-type-code Code=").Append(Int(code)).Append(",Type=").Append(Int(type));
                        p.Append(" -IcmpTypeCode_Code ").Append(Int(code)).Append(" -IcmpTypeCode_Type ").Append(Int(type));
                    }
                }
                cli.Add(c.Append(CliFlag("region", region)).ToString());
                ps.Add(p.Append(" -Region ").Append(QuotePowerShell(region)).ToString());
            }
            return new Ec2Commands(cli, ps);
        }

        private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

        private static Ec2Commands Both(string region, string subcommand, string cmdlet, params (string Flag, string Value)[] parameters)
            => new Ec2Commands(new[] { Cli(region, subcommand, parameters) }, new[] { PowerShell(region, cmdlet, parameters) });

        private static string Cli(string region, string subcommand, params (string Flag, string Value)[] parameters)
        {
            var builder = new StringBuilder("aws ec2 ").Append(subcommand);
            foreach (var (flag, value) in parameters) builder.Append(CliFlag(flag, value));
            return builder.Append(CliFlag("region", region)).ToString();
        }

        /// <summary>" --flag value"; a value that starts with '-' (other than a negative number) is attached with '=' so it cannot read as an option.</summary>
        private static string CliFlag(string flag, string value)
        {
            value ??= "";
            if (value.StartsWith("-", StringComparison.Ordinal) && !NegativeInteger.IsMatch(value)) return " --" + flag + "=" + QuoteShell(value);
            return " --" + flag + " " + QuoteShell(value);
        }

        private static string PowerShell(string region, string cmdlet, (string Flag, string Value)[] parameters)
        {
            var builder = new StringBuilder(cmdlet);
            foreach (var (flag, value) in parameters) builder.Append(" -").Append(Pascal(flag)).Append(' ').Append(QuotePowerShell(value));
            return builder.Append(" -Region ").Append(QuotePowerShell(region)).ToString();
        }

        /// <summary>RouteTableId -> route-table-id; DestinationIpv6CidrBlock -> destination-ipv6-cidr-block (the CLI's naming).</summary>
        internal static string Kebab(string member)
        {
            var builder = new StringBuilder();
            for (var i = 0; i < member.Length; i++)
            {
                var c = member[i];
                if (char.IsUpper(c) && i > 0) builder.Append('-');
                builder.Append(char.ToLowerInvariant(c));
            }
            return builder.ToString();
        }

        private static string Pascal(string flag)
            => string.Concat(flag.Split('-').Select(part => part == "ipv6" ? "Ipv6" : char.ToUpperInvariant(part[0]) + part.Substring(1)));
    }
}
