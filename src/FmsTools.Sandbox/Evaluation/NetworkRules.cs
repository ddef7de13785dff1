using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Evaluation
{
    /// <summary>CIDR arithmetic for IPv4 (and the IPv6 cases security-group audits need: equality and ::/0).</summary>
    internal static class Cidr
    {
        public static bool TryParseV4(string? cidr, out uint network, out int prefix)
        {
            network = 0;
            prefix = 0;
            if (string.IsNullOrEmpty(cidr)) return false;
            var slash = cidr!.IndexOf('/');
            var address = slash < 0 ? cidr : cidr.Substring(0, slash);
            if (slash < 0) prefix = 32;
            else if (!int.TryParse(cidr.Substring(slash + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out prefix) || prefix < 0 || prefix > 32) return false;
            var parts = address.Split('.');
            if (parts.Length != 4) return false;
            uint value = 0;
            foreach (var part in parts)
            {
                if (!byte.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var octet)) return false;
                value = (value << 8) | octet;
            }
            network = value & Mask(prefix);
            return true;
        }

        private static uint Mask(int prefix) => prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);

        /// <summary>True when <paramref name="outer"/> contains all of <paramref name="inner"/>.</summary>
        public static bool Contains(string? outer, string? inner)
        {
            if (outer == null || inner == null) return false;
            if (TryParseV4(outer, out var outerNet, out var outerPrefix) && TryParseV4(inner, out var innerNet, out var innerPrefix))
                return innerPrefix >= outerPrefix && (innerNet & Mask(outerPrefix)) == outerNet;
            if (outer.IndexOf(':') >= 0 && inner.IndexOf(':') >= 0)
                return outer == "::/0" || string.Equals(outer, inner, StringComparison.OrdinalIgnoreCase);
            return false;
        }
    }

    /// <summary>Security group content-audit matching (SECURITY_GROUPS_CONTENT_AUDIT).</summary>
    internal sealed class ContentAuditRules
    {
        public readonly bool Allow;
        public readonly bool AuditIngress;
        public readonly bool AuditEgress;
        public readonly bool DenyProtocolAll;
        public readonly List<SecurityGroupRule> IngressAuditRules = new List<SecurityGroupRule>();
        public readonly List<SecurityGroupRule> EgressAuditRules = new List<SecurityGroupRule>();
        public readonly HashSet<string> AuditGroupIds;

        public ContentAuditRules(Sandbox.World.World world, ManagedServiceData data)
        {
            Allow = string.Equals(ManagedServiceData.Get(data.Root, "securityGroupAction") is { } action ? ManagedServiceData.String(action, "type") : null, "ALLOW", StringComparison.OrdinalIgnoreCase);
            var direction = "ALL";
            foreach (var option in data.Array("preManagedOptions"))
            {
                if (ManagedServiceData.Bool(option, "denyProtocolAllValue", false)) DenyProtocolAll = true;
                if (ManagedServiceData.Get(option, "auditSgDirection") is { } dir && ManagedServiceData.String(dir, "type") is string type) direction = type.ToUpperInvariant();
            }
            AuditIngress = direction != "EGRESS";
            AuditEgress = direction == "ALL" || direction == "EGRESS";
            AuditGroupIds = new HashSet<string>(data.SecurityGroupIds(), StringComparer.Ordinal);
            foreach (var id in AuditGroupIds)
            {
                if (!(world.FindById(id) is SecurityGroup group)) continue;
                IngressAuditRules.AddRange(group.Ingress);
                EgressAuditRules.AddRange(group.Egress);
            }
        }

        /// <summary>The group's violating rules with the reasons and the audit rules they matched.</summary>
        public List<RuleFinding> Findings(SecurityGroup group)
        {
            var findings = new List<RuleFinding>();
            if (AuditIngress) Check(group.Ingress, IngressAuditRules, false, findings);
            if (AuditEgress) Check(group.Egress, EgressAuditRules, true, findings);
            return findings;
        }

        private void Check(SecurityGroupRule[] rules, List<SecurityGroupRule> auditRules, bool egress, List<RuleFinding> findings)
        {
            foreach (var rule in rules)
            {
                if (DenyProtocolAll && rule.NormalizedProtocol == "-1")
                {
                    findings.Add(new RuleFinding(rule, egress, null, "PROTOCOL_ALL_DENIED"));
                    continue;
                }
                if (rule.CidrIpv4 == null && rule.CidrIpv6 == null) continue; // group and prefix-list references are not audited
                if (Allow)
                {
                    var within = auditRules.FirstOrDefault(a => ProtocolCovers(a, rule) && a.NormalizedFrom <= rule.NormalizedFrom && a.NormalizedTo >= rule.NormalizedTo
                        && (rule.CidrIpv4 != null ? Cidr.Contains(a.CidrIpv4, rule.CidrIpv4) : Cidr.Contains(a.CidrIpv6, rule.CidrIpv6)));
                    if (within == null)
                    {
                        var closest = auditRules.FirstOrDefault(a => ProtocolCovers(a, rule));
                        findings.Add(new RuleFinding(rule, egress, closest, "RULE_NOT_WITHIN_ALLOWED_RANGE"));
                    }
                }
                else
                {
                    // DENY: the rule opens at least the audited range on an overlapping port range.
                    var match = auditRules.FirstOrDefault(a => (ProtocolCovers(a, rule) || rule.NormalizedProtocol == "-1")
                        && a.NormalizedFrom <= rule.NormalizedTo && rule.NormalizedFrom <= a.NormalizedTo
                        && (rule.CidrIpv4 != null ? Cidr.Contains(rule.CidrIpv4, a.CidrIpv4) : Cidr.Contains(rule.CidrIpv6, a.CidrIpv6)));
                    if (match != null) findings.Add(new RuleFinding(rule, egress, match, "DENIED_RULE_MATCH"));
                }
            }
        }

        private static bool ProtocolCovers(SecurityGroupRule audit, SecurityGroupRule rule) =>
            audit.NormalizedProtocol == "-1" || audit.NormalizedProtocol == rule.NormalizedProtocol;
    }

    internal sealed class RuleFinding
    {
        public RuleFinding(SecurityGroupRule rule, bool egress, SecurityGroupRule? auditRule, string reason)
        {
            Rule = rule;
            Egress = egress;
            AuditRule = auditRule;
            Reason = reason;
        }

        public SecurityGroupRule Rule { get; }
        public bool Egress { get; }
        public SecurityGroupRule? AuditRule { get; }
        public string Reason { get; }

        public static SecurityGroupRuleDescription Describe(SecurityGroupRule rule) => new SecurityGroupRuleDescription
        {
            IPV4Range = rule.CidrIpv4,
            IPV6Range = rule.CidrIpv6,
            PrefixListId = rule.PrefixListId,
            Protocol = rule.NormalizedProtocol,
            FromPort = rule.NormalizedProtocol == "-1" ? (long?)null : rule.NormalizedFrom,
            ToPort = rule.NormalizedProtocol == "-1" ? (long?)null : rule.NormalizedTo,
        };
    }

    /// <summary>What a NETWORK_ACL_COMMON policy expects of one subnet's NACL, and how to get there.</summary>
    internal sealed class NaclAssessment
    {
        public NetworkAcl? Acl;
        public readonly List<EntryViolation> EntryViolations = new List<EntryViolation>();

        /// <summary>Expected entries with the rule numbers FMS gives them.</summary>
        public readonly List<NetworkAclRule> ToCreate = new List<NetworkAclRule>();

        /// <summary>Entries to delete first (misplaced copies of expected entries, and conflicting custom entries when forced).</summary>
        public readonly List<NetworkAclRule> ToDelete = new List<NetworkAclRule>();

        /// <summary>True when the subnet must move to a new FMS NACL (its NACL is the VPC default or serves out-of-scope subnets).</summary>
        public bool NeedsNewAcl;

        /// <summary>False when an unforced conflict blocks in-place remediation.</summary>
        public bool CanRemediate = true;

        public bool IsCompliant => EntryViolations.Count == 0;
    }

    internal static class NaclExpectations
    {
        public const int LastRuleNumber = 32766;

        public static NetworkAclRule ToRule(Aws.Fms.NetworkAclEntry entry, int ruleNumber) => new NetworkAclRule
        {
            RuleNumber = ruleNumber,
            Egress = entry.Egress == true,
            Protocol = string.IsNullOrEmpty(entry.Protocol) ? "-1" : entry.Protocol!,
            RuleAction = (entry.RuleAction ?? "allow").ToLowerInvariant(),
            CidrBlock = entry.CidrBlock,
            Ipv6CidrBlock = entry.Ipv6CidrBlock,
            PortFrom = entry.PortRange?.From,
            PortTo = entry.PortRange?.To,
            IcmpType = entry.IcmpTypeCode?.Type,
            IcmpCode = entry.IcmpTypeCode?.Code,
        };

        public static Aws.Fms.NetworkAclEntry ToEntry(NetworkAclRule rule) => new Aws.Fms.NetworkAclEntry
        {
            Protocol = rule.Protocol,
            RuleAction = rule.RuleAction,
            Egress = rule.Egress,
            CidrBlock = rule.CidrBlock,
            Ipv6CidrBlock = rule.Ipv6CidrBlock,
            PortRange = rule.PortFrom == null && rule.PortTo == null ? null : new NetworkAclPortRange { From = rule.PortFrom, To = rule.PortTo },
            IcmpTypeCode = rule.IcmpType == null && rule.IcmpCode == null ? null : new NetworkAclIcmpTypeCode { Type = rule.IcmpType, Code = rule.IcmpCode },
        };

        public static EntryDescription Describe(NetworkAclRule rule, string entryType) =>
            new EntryDescription { EntryDetail = ToEntry(rule), EntryRuleNumber = rule.RuleNumber, EntryType = entryType };

        /// <summary>The policy's first entries numbered 1, 2… and last entries numbered up to 32766, per direction.</summary>
        public static List<(NetworkAclRule Rule, string EntryType)> ExpectedEntries(NetworkAclEntrySet? set)
        {
            var expected = new List<(NetworkAclRule, string)>();
            if (set == null) return expected;
            foreach (var egress in new[] { false, true })
            {
                var first = (set.FirstEntries ?? new List<Aws.Fms.NetworkAclEntry>()).Where(e => (e.Egress == true) == egress).ToList();
                for (var i = 0; i < first.Count; i++) expected.Add((ToRule(first[i], i + 1), EntryTypeValues.FmsManagedFirstEntry));
                var last = (set.LastEntries ?? new List<Aws.Fms.NetworkAclEntry>()).Where(e => (e.Egress == true) == egress).ToList();
                for (var i = 0; i < last.Count; i++) expected.Add((ToRule(last[i], LastRuleNumber - (last.Count - 1) + i), EntryTypeValues.FmsManagedLastEntry));
            }
            return expected;
        }

        public static NaclAssessment Assess(NetworkAcl? acl, NetworkAclEntrySet? set, bool aclServesOutOfScopeSubnets)
        {
            var assessment = new NaclAssessment { Acl = acl };
            var entries = acl?.Entries ?? new NetworkAclRule[0];
            var forceFirst = set?.ForceRemediateForFirstEntries == true;
            var forceLast = set?.ForceRemediateForLastEntries == true;
            foreach (var (rule, entryType) in ExpectedEntries(set))
            {
                var isFirst = entryType == EntryTypeValues.FmsManagedFirstEntry;
                var atNumber = entries.FirstOrDefault(e => e.Egress == rule.Egress && e.RuleNumber == rule.RuleNumber);
                if (atNumber != null && atNumber.SameEntryAs(rule)) continue;
                var elsewhere = entries.FirstOrDefault(e => e.SameEntryAs(rule));
                var violation = new EntryViolation
                {
                    ExpectedEntry = Describe(rule, entryType),
                    ExpectedEvaluationOrder = rule.RuleNumber.ToString(CultureInfo.InvariantCulture),
                    EntryViolationReasons = new List<string>(),
                    EntriesWithConflicts = new List<EntryDescription>(),
                };
                if (elsewhere != null)
                {
                    violation.EntryViolationReasons.Add(EntryViolationReasonValues.IncorrectEntryOrder);
                    violation.ActualEvaluationOrder = elsewhere.RuleNumber.ToString(CultureInfo.InvariantCulture);
                    assessment.ToDelete.Add(elsewhere);
                }
                else
                {
                    violation.EntryViolationReasons.Add(EntryViolationReasonValues.MissingExpectedEntry);
                }
                if (atNumber != null)
                {
                    violation.EntryViolationReasons.Add(EntryViolationReasonValues.EntryConflict);
                    violation.EntryAtExpectedEvaluationOrder = Describe(atNumber, EntryTypeValues.CustomEntry);
                    violation.EntriesWithConflicts.Add(Describe(atNumber, EntryTypeValues.CustomEntry));
                    if (isFirst ? forceFirst : forceLast) assessment.ToDelete.Add(atNumber);
                    else assessment.CanRemediate = false;
                }
                assessment.ToCreate.Add(rule);
                assessment.EntryViolations.Add(violation);
            }
            assessment.NeedsNewAcl = !assessment.IsCompliant && (acl == null || acl.IsDefault || aclServesOutOfScopeSubnets);
            if (assessment.NeedsNewAcl) assessment.CanRemediate = true;
            return assessment;
        }
    }
}
