using System;
using System.Globalization;
using System.Linq;
using FmsTools.Sandbox.Protocol;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Services
{
    /// <summary>Network ACLs, their entries and their subnet associations.</summary>
    internal sealed partial class Ec2Service
    {
        private void CreateNetworkAcl(Call call, Ec2Xml xml)
        {
            var vpcId = call.Required("VpcId");
            var token = call.Get("ClientToken");
            var tags = call.Tags("network-acl");
            call.Authorize();
            var vpc = call.Vpc(vpcId);
            var acl = token == null ? null : call.Mine<NetworkAcl>().FirstOrDefault(a => a.ClientToken == token);
            if (acl != null && acl.VpcId != vpc.Id)
                throw new SandboxServiceException("IdempotentParameterMismatch", "The client token you have provided is associated with a resource that is already deleted or has different parameters. Please use a different client token.");
            if (acl == null)
            {
                acl = new NetworkAcl
                {
                    Id = call.NewId("acl"), AccountId = call.Account, Region = call.Region, VpcId = vpc.Id, ClientToken = token, Tags = tags,
                    Name = tags?.FirstOrDefault(t => t.Key == "Name")?.Value,
                };
                call.World.AddResource(acl);
            }
            WriteNetworkAcl(call, xml, acl, "networkAcl");
            xml.Leaf("clientToken", token);
        }

        private void DeleteNetworkAcl(Call call, Ec2Xml xml)
        {
            var aclId = call.Required("NetworkAclId");
            call.Authorize();
            var acl = call.Acl(aclId);
            if (acl.IsDefault) throw new SandboxServiceException("InvalidParameterValue", "cannot delete default network ACL " + acl.Id);
            if (AclSubnets(call, acl).Any())
                throw new SandboxServiceException("DependencyViolation", "The network ACL '" + acl.Id + "' has dependencies and cannot be deleted.");
            call.World.RemoveResource(acl);
            xml.Return();
        }

        /// <summary>The entry a Create/ReplaceNetworkAclEntry call describes, validated as EC2 does.</summary>
        private static NetworkAclRule Entry(Call call)
        {
            call.Required("NetworkAclId");
            var number = call.Int("RuleNumber") ?? throw Missing("ruleNumber");
            var protocolText = call.Required("Protocol");
            var action = call.Required("RuleAction").ToLowerInvariant();
            var egress = call.RequiredBool("Egress");
            if (number < 1 || number > 32766)
                throw new SandboxServiceException("InvalidParameterValue", "Value (" + number + ") for parameter ruleNumber is invalid. Rule number must be between 1 and 32766.");
            if (action != "allow" && action != "deny") throw InvalidValue(call.Get("RuleAction")!, "ruleAction");
            var protocol = protocolText.ToLowerInvariant() switch
            {
                "all" or "-1" => "-1",
                "tcp" => "6",
                "udp" => "17",
                "icmp" => "1",
                _ => int.TryParse(protocolText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 255 ? p.ToString(CultureInfo.InvariantCulture)
                    : throw InvalidValue(protocolText, "protocol"),
            };
            var cidr = call.Get("CidrBlock");
            var ipv6 = call.Get("Ipv6CidrBlock");
            if (cidr == null && ipv6 == null) throw Missing("cidrBlock or ipv6CidrBlock");
            if (cidr != null && ipv6 != null)
                throw new SandboxServiceException("InvalidParameterCombination", "The parameters cidrBlock and ipv6CidrBlock cannot be used together.");
            if (cidr != null && !IsIpv4Cidr(cidr))
                throw new SandboxServiceException("InvalidParameterValue", "Value (" + cidr + ") for parameter cidrBlock is invalid. This is not a valid CIDR block.");
            var entry = new NetworkAclRule { RuleNumber = number, Egress = egress, Protocol = protocol, RuleAction = action, CidrBlock = cidr, Ipv6CidrBlock = ipv6 };
            if (protocol == "6" || protocol == "17")
            {
                entry.PortFrom = call.Int("PortRange.From") ?? throw Missing("portRange");
                entry.PortTo = call.Int("PortRange.To") ?? throw Missing("portRange");
                if (entry.PortFrom < 0 || entry.PortTo > 65535 || entry.PortFrom > entry.PortTo)
                    throw new SandboxServiceException("InvalidParameterValue", "Invalid port range " + entry.PortFrom + "-" + entry.PortTo);
            }
            else if (protocol == "1")
            {
                entry.IcmpType = call.Int("Icmp.Type") ?? throw Missing("icmpTypeCode");
                entry.IcmpCode = call.Int("Icmp.Code") ?? throw Missing("icmpTypeCode");
            }
            return entry;
        }

        private void CreateNetworkAclEntry(Call call, Ec2Xml xml)
        {
            var entry = Entry(call);
            call.Authorize();
            var acl = call.Acl(call.Get("NetworkAclId")!);
            if (acl.Entries.Any(e => e.Egress == entry.Egress && e.RuleNumber == entry.RuleNumber))
                throw new SandboxServiceException("NetworkAclEntryAlreadyExists", "The network acl entry identified by " + entry.RuleNumber + " already exists.");
            acl.Entries = acl.Entries.Concat(new[] { entry }).ToArray();
            call.World.MarkChanged();
            xml.Return();
        }

        private void ReplaceNetworkAclEntry(Call call, Ec2Xml xml)
        {
            var entry = Entry(call);
            call.Authorize();
            var acl = call.Acl(call.Get("NetworkAclId")!);
            var index = Array.FindIndex(acl.Entries, e => e.Egress == entry.Egress && e.RuleNumber == entry.RuleNumber);
            if (index < 0) throw EntryNotFound(entry.RuleNumber, entry.Egress);
            var entries = (NetworkAclRule[])acl.Entries.Clone();
            entries[index] = entry;
            acl.Entries = entries;
            call.World.MarkChanged();
            xml.Return();
        }

        private void DeleteNetworkAclEntry(Call call, Ec2Xml xml)
        {
            var aclId = call.Required("NetworkAclId");
            var number = call.Int("RuleNumber") ?? throw Missing("ruleNumber");
            var egress = call.RequiredBool("Egress");
            call.Authorize();
            var acl = call.Acl(aclId);
            var entry = acl.Entries.FirstOrDefault(e => e.Egress == egress && e.RuleNumber == number) ?? throw EntryNotFound(number, egress);
            acl.Entries = acl.Entries.Where(e => e != entry).ToArray();
            call.World.MarkChanged();
            xml.Return();
        }

        private static SandboxServiceException EntryNotFound(int number, bool egress)
            => new SandboxServiceException("InvalidNetworkAclEntry.NotFound",
                "The network acl entry identified by " + number + " (" + (egress ? "egress" : "ingress") + ") does not exist.");

        private void ReplaceNetworkAclAssociation(Call call, Ec2Xml xml)
        {
            var associationId = call.Required("AssociationId");
            var aclId = call.Required("NetworkAclId");
            call.Authorize();
            var subnet = call.Mine<Subnet>().FirstOrDefault(s => s.NetworkAclAssociationId == associationId)
                ?? throw NotFound("InvalidAssociationID.NotFound", "association", associationId);
            var acl = call.Acl(aclId);
            if (acl.VpcId != subnet.VpcId)
                throw new SandboxServiceException("InvalidParameterValue", "Network ACL " + acl.Id + " and subnet " + subnet.Id + " belong to different networks");
            var newId = call.NewId("aclassoc");
            subnet.NetworkAclId = acl.Id;
            subnet.NetworkAclAssociationId = newId;
            call.World.MarkChanged();
            xml.Leaf("newAssociationId", newId);
        }
    }
}
