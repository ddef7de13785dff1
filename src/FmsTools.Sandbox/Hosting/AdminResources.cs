using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Hosting
{
    /// <summary>
    /// The /_sandbox/resources part of the admin API: what an account's own engineers do to their resources outside
    /// Firewall Manager (add or delete a load balancer or VPC, tag, associate a web ACL, change security groups, edit routes), so
    /// tests and demos can make an account non-compliant and fix it again. Every change moves the World's version:
    /// the next compliance read evaluates afresh, and the next convergence (clock advance or background pass) lets
    /// policies with automatic remediation react, as FMS would.
    /// </summary>
    internal static class AdminResources
    {
        /// <summary>Resource types POST /_sandbox/resources can create.</summary>
        public static readonly IReadOnlyList<string> CreatableTypes = new[] { ResourceTypes.Vpc, ResourceTypes.ApplicationLoadBalancer };

        public sealed class NewResource
        {
            public string? Type { get; set; }
            public string? AccountId { get; set; }
            public string? Region { get; set; }
            public string? Name { get; set; }

            /// <summary>For a load balancer: its VPC (default: the account's first VPC in the region).</summary>
            public string? VpcId { get; set; }

            /// <summary>For a VPC: its CIDR block (default 10.99.0.0/16).</summary>
            public string? CidrBlock { get; set; }

            /// <summary>For a load balancer: a WAFv2 web ACL to associate.</summary>
            public string? WebAclArn { get; set; }

            public string[]? SecurityGroupIds { get; set; }
            public Dictionary<string, string>? Tags { get; set; }
        }

        public sealed class WebAclChange
        {
            /// <summary>The resource's id or ARN.</summary>
            public string? Resource { get; set; }

            /// <summary>The WAFv2 web ACL to associate; null or empty disassociates.</summary>
            public string? WebAclArn { get; set; }
        }

        public sealed class TagChange
        {
            public string? Resource { get; set; }
            public Dictionary<string, string>? Tags { get; set; }
            public string[]? RemoveKeys { get; set; }
        }

        public sealed class SecurityGroupChange
        {
            /// <summary>An EC2 instance (its primary network interface), a network interface or an application load balancer.</summary>
            public string? Resource { get; set; }
            public string[]? SecurityGroupIds { get; set; }
        }

        public sealed class RouteChange
        {
            /// <summary>The route table (rtb-…).</summary>
            public string? RouteTable { get; set; }

            /// <summary>The route's IPv4 destination, e.g. 0.0.0.0/0.</summary>
            public string? DestinationCidrBlock { get; set; }

            /// <summary>igw-…, vpce-…, nat-…, eni-…, tgw-…, pcx-…, eigw-… or i-…; null or empty deletes the route.</summary>
            public string? Target { get; set; }

            /// <summary>True marks the route as a black hole (its target is gone).</summary>
            public bool Blackhole { get; set; }
        }

        private static readonly string[] RouteTargetPrefixes = { "igw-", "vpce-", "nat-", "eni-", "tgw-", "pcx-", "eigw-", "i-" };

        /// <summary>What the admin API shows of a resource.</summary>
        public static object View(WorldResource resource) => new
        {
            id = resource.Id,
            arn = resource.Arn,
            violatorId = resource.ViolatorResourceId,
            resourceType = resource.ResourceType,
            accountId = resource.AccountId,
            region = resource.Region,
            name = resource.Name,
            tags = resource.Tags?.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
            webAclArn = (resource as WebAclProtectableResource)?.WebAclArn,
            vpcId = VpcIdOf(resource),
            securityGroupIds = SecurityGroupsOf(resource),
            networkInterfaceIds = (resource as Ec2Instance)?.NetworkInterfaceIds,
            fmsPolicyId = resource.FmsPolicyId,
            internetGatewayId = (resource as Vpc)?.InternetGatewayId,
            routeTableId = (resource as Subnet)?.RouteTableId,
            availabilityZone = (resource as Subnet)?.AvailabilityZone,
            cidrBlock = (resource as Subnet)?.CidrBlock ?? (resource as Vpc)?.CidrBlock,
            isMain = (resource as RouteTable)?.IsMain,
            gatewayId = (resource as RouteTable)?.GatewayId,
            routes = (resource as RouteTable)?.Routes.Select(r => new { destinationCidrBlock = r.DestinationCidrBlock, target = r.Target, state = r.State }).ToList(),
            endpoints = (resource as NetworkFirewall)?.SubnetMappings.Select(m => new { subnetId = m.SubnetId, availabilityZone = m.AvailabilityZone, endpointId = m.EndpointId }).ToList(),
        };

        public static IEnumerable<WorldResource> List(World.World world, IReadOnlyDictionary<string, string> query)
        {
            IEnumerable<WorldResource> resources = world.AllResources();
            if (query.TryGetValue("accountId", out var account)) resources = resources.Where(r => r.AccountId == account);
            if (query.TryGetValue("region", out var region)) resources = resources.Where(r => r.Region == region);
            if (query.TryGetValue("type", out var type)) resources = resources.Where(r => string.Equals(r.ResourceType, type, StringComparison.OrdinalIgnoreCase));
            if (query.TryGetValue("name", out var name)) resources = resources.Where(r => r.Name == name);
            return resources.OrderBy(r => r.AccountId, StringComparer.Ordinal).ThenBy(r => r.Region, StringComparer.Ordinal)
                .ThenBy(r => r.ResourceType, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal);
        }

        public static WorldResource Create(World.World world, NewResource body, DateTime now)
        {
            var type = Required(body.Type, "type");
            var accountId = Required(body.AccountId, "accountId");
            var region = Required(body.Region, "region");
            if (world.FindAccount(accountId) == null) throw new ArgumentException($"No account {accountId} in the sandbox's organization.");
            if (!world.Regions.Contains(region)) throw new ArgumentException($"The sandbox has no region {region}; it has {string.Join(", ", world.Regions)}.");
            var tags = body.Tags?.Select(t => new WorldTag(t.Key, t.Value ?? "")).ToArray();
            var builder = new WorldBuilder(world, world.NewIds(), now);
            if (string.Equals(type, ResourceTypes.Vpc, StringComparison.OrdinalIgnoreCase))
            {
                var name = body.Name ?? "sandbox-vpc";
                var merged = (tags ?? new WorldTag[0]).Where(t => t.Key != "Name").Append(new WorldTag("Name", name)).ToArray();
                return builder.Vpc(accountId, region, body.CidrBlock ?? "10.99.0.0/16", name, merged);
            }
            if (string.Equals(type, ResourceTypes.ApplicationLoadBalancer, StringComparison.OrdinalIgnoreCase))
            {
                var vpc = body.VpcId == null
                    ? world.GetResources<Vpc>(accountId, region).OrderBy(v => v.Id, StringComparer.Ordinal).FirstOrDefault()
                        ?? throw new ArgumentException($"Account {accountId} has no VPC in {region}: create one first or pass vpcId.")
                    : world.GetResources<Vpc>(accountId, region).FirstOrDefault(v => v.Id == body.VpcId)
                        ?? throw new ArgumentException($"No VPC {body.VpcId} in account {accountId}, {region}.");
                var subnets = world.GetResources<Subnet>(accountId, region).Where(s => s.VpcId == vpc.Id).OrderBy(s => s.Id, StringComparer.Ordinal).ToArray();
                var groups = body.SecurityGroupIds ?? new string[0];
                CheckGroups(world, accountId, region, groups);
                if (!string.IsNullOrEmpty(body.WebAclArn)) CheckWebAcl(world, accountId, region, body.WebAclArn!);
                return builder.ApplicationLoadBalancer(accountId, region, vpc, body.Name ?? "sandbox-alb", groups, subnets,
                    string.IsNullOrEmpty(body.WebAclArn) ? null : body.WebAclArn, tags);
            }
            throw new ArgumentException($"The admin API creates {string.Join(" and ", CreatableTypes)} resources, not '{type}'.");
        }

        /// <summary>Deletes a resource no other resource refers to (a VPC goes with its default network ACL and security group).</summary>
        public static WorldResource Delete(World.World world, string? reference)
        {
            var resource = Find(world, reference);
            var companions = new List<WorldResource>();
            if (resource is Vpc vpc)
                companions.AddRange(world.GetResources(vpc.AccountId, vpc.Region)
                    .Where(r => (r is NetworkAcl acl && acl.IsDefault && acl.VpcId == vpc.Id) || (r is SecurityGroup g && g.Name == "default" && g.VpcId == vpc.Id)
                        || (r is RouteTable table && table.VpcId == vpc.Id)));
            var leaving = new HashSet<WorldResource>(companions) { resource };
            var keys = new HashSet<string>(leaving.SelectMany(r => new[] { r.Id, r.Arn }), StringComparer.Ordinal);
            var referrer = world.AllResources().FirstOrDefault(r => !leaving.Contains(r) && References(r).Any(keys.Contains));
            if (referrer != null)
                throw new ArgumentException($"{resource.ResourceType} {resource.Id} is still used by {referrer.ResourceType} {referrer.Id}; delete or change that first.");
            foreach (var gone in leaving) world.RemoveResource(gone);
            return resource;
        }

        public static WorldResource SetWebAcl(World.World world, WebAclChange body)
        {
            if (!(Find(world, body.Resource) is WebAclProtectableResource resource))
                throw new ArgumentException($"{body.Resource} cannot have a web ACL (load balancers, API stages and CloudFront distributions can).");
            if (string.IsNullOrEmpty(body.WebAclArn)) resource.WebAclArn = null;
            else
            {
                CheckWebAcl(world, resource.AccountId, resource.Region, body.WebAclArn!);
                resource.WebAclArn = body.WebAclArn;
            }
            world.MarkChanged();
            return resource;
        }

        public static WorldResource SetTags(World.World world, TagChange body)
        {
            var resource = Find(world, body.Resource);
            var removed = new HashSet<string>(body.RemoveKeys ?? new string[0], StringComparer.Ordinal);
            var tags = (resource.Tags ?? new WorldTag[0]).Where(t => !removed.Contains(t.Key)).ToList();
            foreach (var tag in body.Tags ?? new Dictionary<string, string>())
            {
                tags.RemoveAll(t => t.Key == tag.Key);
                tags.Add(new WorldTag(tag.Key, tag.Value ?? ""));
            }
            world.SetTags(resource, tags.ToArray());
            return resource;
        }

        public static WorldResource SetSecurityGroups(World.World world, SecurityGroupChange body)
        {
            var resource = Find(world, body.Resource);
            var groups = body.SecurityGroupIds ?? throw new ArgumentException("Send securityGroupIds (an empty list removes every group).");
            CheckGroups(world, resource.AccountId, resource.Region, groups);
            switch (resource)
            {
                case Ec2Instance instance:
                    if (instance.NetworkInterfaceIds.Length == 0 || !(world.FindById(instance.NetworkInterfaceIds[0]) is NetworkInterface primary))
                        throw new ArgumentException($"Instance {instance.Id} has no primary network interface.");
                    primary.SecurityGroupIds = groups.ToArray();
                    break;
                case NetworkInterface eni:
                    eni.SecurityGroupIds = groups.ToArray();
                    break;
                case ApplicationLoadBalancer alb:
                    alb.SecurityGroupIds = groups.ToArray();
                    break;
                default:
                    throw new ArgumentException($"{resource.ResourceType} {resource.Id} has no security groups to change (instances, network interfaces and load balancers do).");
            }
            world.MarkChanged();
            return resource;
        }

        /// <summary>Creates, replaces or deletes one route of a route table, as the account's engineers would with ec2:CreateRoute,
        /// ec2:ReplaceRoute and ec2:DeleteRoute. The local route cannot be changed.</summary>
        public static WorldResource SetRoute(World.World world, RouteChange body)
        {
            if (!(Find(world, body.RouteTable) is RouteTable table))
                throw new ArgumentException($"{body.RouteTable} is not a route table (GET /_sandbox/resources?type={ResourceTypes.RouteTable} lists them).");
            var destination = Required(body.DestinationCidrBlock, "destinationCidrBlock");
            if (!IsIpv4Cidr(destination)) throw new ArgumentException($"destinationCidrBlock '{destination}' is not an IPv4 CIDR such as 0.0.0.0/0.");
            var existing = table.Routes.FirstOrDefault(r => r.DestinationCidrBlock == destination);
            if (existing != null && existing.Target == "local") throw new ArgumentException($"The local route {destination} of {table.Id} cannot be changed.");
            var routes = table.Routes.Where(r => r.DestinationCidrBlock != destination).ToList();
            if (string.IsNullOrEmpty(body.Target))
            {
                if (existing == null) throw new ArgumentException($"Route table {table.Id} has no route to {destination}.");
            }
            else
            {
                if (!RouteTargetPrefixes.Any(p => body.Target!.StartsWith(p, StringComparison.Ordinal)))
                    throw new ArgumentException($"target '{body.Target}' is not a route target ({string.Join(", ", RouteTargetPrefixes.Select(p => p + "…"))}).");
                routes.Add(RouteEntry.To(destination, body.Target!, body.Blackhole ? RouteEntry.Blackhole : RouteEntry.Active));
            }
            table.Routes = routes.ToArray();
            world.MarkChanged();
            return table;
        }

        private static bool IsIpv4Cidr(string text)
        {
            var parts = text.Split('/');
            if (parts.Length != 2 || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bits) || bits > 32) return false;
            var octets = parts[0].Split('.');
            return octets.Length == 4 && octets.All(o => o.Length > 0 && o.Length <= 3 && int.TryParse(o, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n <= 255);
        }

        private static WorldResource Find(World.World world, string? reference)
        {
            var key = Required(reference, "resource");
            return world.FindByViolatorId(key) ?? world.FindByArn(key)
                ?? throw new ArgumentException($"No resource '{key}' in the sandbox (give its id or ARN; GET /_sandbox/resources lists them).");
        }

        private static void CheckWebAcl(World.World world, string accountId, string region, string arn)
        {
            if (!(world.FindByArn(arn) is WebAcl acl) || acl.AccountId != accountId)
                throw new ArgumentException($"No web ACL {arn} in account {accountId}.");
            if (acl.Region != region)
                throw new ArgumentException($"Web ACL {arn} is in {acl.Region}, the resource in {region}.");
        }

        private static void CheckGroups(World.World world, string accountId, string region, IEnumerable<string> groupIds)
        {
            foreach (var id in groupIds)
                if (!(world.FindById(id) is SecurityGroup group) || group.Region != region)
                    throw new ArgumentException($"No security group {id} in {region}.");
        }

        private static string Required(string? value, string field)
            => string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"Send {field}.") : value!;

        private static string? VpcIdOf(WorldResource resource) => resource switch
        {
            Subnet s => s.VpcId,
            SecurityGroup g => g.VpcId,
            Ec2Instance i => i.VpcId,
            NetworkInterface n => n.VpcId,
            NetworkAcl a => a.VpcId,
            RouteTable t => t.VpcId,
            NetworkFirewall f => f.VpcId,
            ApplicationLoadBalancer l => l.VpcId,
            ClassicLoadBalancer c => c.VpcId,
            _ => null,
        };

        private static string[]? SecurityGroupsOf(WorldResource resource) => resource switch
        {
            NetworkInterface n => n.SecurityGroupIds,
            ApplicationLoadBalancer l => l.SecurityGroupIds,
            ClassicLoadBalancer c => c.SecurityGroupIds,
            _ => null,
        };

        /// <summary>Ids and ARNs a resource holds in its own string properties (VpcId, SubnetId, WebAclArn, group ids...).</summary>
        private static IEnumerable<string> References(WorldResource resource)
        {
            foreach (var property in resource.GetType().GetProperties())
            {
                if (!property.CanRead || property.GetIndexParameters().Length > 0 || property.Name == nameof(WorldResource.Id) || property.Name == nameof(WorldResource.Arn)) continue;
                var value = property.GetValue(resource);
                if (value is string text) yield return text;
                else if (value is string[] texts)
                    foreach (var item in texts) yield return item;
            }
        }
    }
}
