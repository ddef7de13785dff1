using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.World;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// Resource sets and their resources: PutResourceSet, GetResourceSet, DeleteResourceSet, ListResourceSets,
    /// BatchAssociateResource, BatchDisassociateResource and ListResourceSetResources. A resource is accepted only when its
    /// ARN names this Region, a member account and one of the set's resource types.
    /// </summary>
    internal sealed class FmsResourceSetOperations
    {
        private readonly SandboxQuotas _quotas;

        public FmsResourceSetOperations(SandboxQuotas quotas)
        {
            _quotas = quotas;
        }

        private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

        private static string NewResourceSetId()
        {
            var bytes = new byte[22];
            using (var random = RandomNumberGenerator.Create()) random.GetBytes(bytes);
            var chars = new char[22];
            for (var i = 0; i < chars.Length; i++) chars[i] = Base62[bytes[i] % Base62.Length];
            return new string(chars);
        }

        private static string ResourceSetArn(ResourceSetRecord record)
            => FmsAccess.Arn("resource-set", record.Region, record.OwnerAccountId, record.Set.Id!);

        private static ResourceSetRecord FindResourceSet(RequestContext context, AdminRecord admin, string id)
            => FmsAccess.FindOwned(context, admin, context.Store.ResourceSets, id, "The resource set " + id + " does not exist.");

        public object PutResourceSet(RequestContext context, PutResourceSetRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var store = context.Store;
            var input = request.ResourceSet!;
            ResourceSetRecord? existing = null;
            if (!string.IsNullOrEmpty(input.Id))
            {
                existing = FindResourceSet(context, admin, input.Id!);
                // The token is optional: without it the update is unconditional (the PutResourceSet UpdateToken documentation).
                if (!string.IsNullOrEmpty(input.UpdateToken) && !string.Equals(input.UpdateToken, existing.Set.UpdateToken, StringComparison.Ordinal))
                    throw SandboxFmsErrors.InvalidOperation("The UpdateToken " + input.UpdateToken + " is out of date: resource set " + input.Id
                        + " was changed after you read it. Call GetResourceSet for the current UpdateToken and retry.");
            }
            else if (FmsAccess.OwnedBy(context, admin, store.ResourceSets).Count() >= _quotas.ResourceSetsPerAdmin)
            {
                throw SandboxFmsErrors.LimitExceeded("You have reached the limit of " + _quotas.ResourceSetsPerAdmin + " resource sets in " + context.Region + ".");
            }
            var record = new ResourceSetRecord
            {
                OwnerAccountId = admin.AccountId,
                Region = context.Region,
                Sequence = existing?.Sequence ?? store.NextSequence("resourceSets"),
                Resources = existing?.Resources ?? new List<Resource>(),
                Set = new ResourceSet
                {
                    Id = existing?.Set.Id ?? NewResourceSetId(),
                    Name = input.Name,
                    Description = input.Description,
                    UpdateToken = FmsAccess.NewUpdateToken(),
                    ResourceTypeList = (input.ResourceTypeList ?? new List<string>()).Distinct().ToList(),
                    LastUpdateTime = context.Now,
                    ResourceSetStatus = ResourceSetStatusValues.Active,
                },
            };
            store.ResourceSets.Put(record.Set.Id!, record);
            if (request.TagList != null && request.TagList.Count > 0) FmsTagOperations.Merge(store, ResourceSetArn(record), request.TagList);
            return new PutResourceSetResponse { ResourceSet = record.Set, ResourceSetArn = ResourceSetArn(record) };
        }

        public object GetResourceSet(RequestContext context, GetResourceSetRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var record = FindResourceSet(context, admin, request.Identifier!);
            return new GetResourceSetResponse { ResourceSet = record.Set, ResourceSetArn = ResourceSetArn(record) };
        }

        public object? DeleteResourceSet(RequestContext context, DeleteResourceSetRequest request)
            => FmsAccess.DeleteOwned(context, context.Store.ResourceSets, request.Identifier!, "resource set", "resource-set");

        public object ListResourceSets(RequestContext context, ListResourceSetsRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var summaries = FmsAccess.OwnedBy(context, admin, context.Store.ResourceSets)
                .Select(s => new ResourceSetSummary
                {
                    Id = s.Set.Id,
                    Name = s.Set.Name,
                    Description = s.Set.Description,
                    LastUpdateTime = s.Set.LastUpdateTime,
                    ResourceSetStatus = s.Set.ResourceSetStatus,
                }).ToList();
            var page = Pagination.Page(summaries, request.MaxResults, request.NextToken, 100, out var next);
            return new ListResourceSetsResponse { ResourceSets = page, NextToken = next };
        }

        /// <summary>Which ARN service and resource prefix each CloudFormation type uses, to check associated URIs.</summary>
        private static readonly Dictionary<string, (string Service, string Prefix)> ArnShapes = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            [ResourceTypes.Vpc] = ("ec2", "vpc/"),
            [ResourceTypes.Subnet] = ("ec2", "subnet/"),
            [ResourceTypes.SecurityGroup] = ("ec2", "security-group/"),
            [ResourceTypes.Instance] = ("ec2", "instance/"),
            [ResourceTypes.NetworkInterface] = ("ec2", "network-interface/"),
            [ResourceTypes.NetworkAcl] = ("ec2", "network-acl/"),
            [ResourceTypes.ElasticIp] = ("ec2", "eip-allocation/"),
            [ResourceTypes.ApplicationLoadBalancer] = ("elasticloadbalancing", "loadbalancer/"),
            [ResourceTypes.ClassicLoadBalancer] = ("elasticloadbalancing", "loadbalancer/"),
            [ResourceTypes.ApiGatewayStage] = ("apigateway", "/restapis/"),
            [ResourceTypes.CloudFrontDistribution] = ("cloudfront", "distribution/"),
            [ResourceTypes.WebAcl] = ("wafv2", ""),
            [ResourceTypes.NetworkFirewall] = ("network-firewall", "firewall/"),
            [ResourceTypes.NetworkFirewallPolicy] = ("network-firewall", "firewall-policy/"),
        };

        private string? AssociationFailure(RequestContext context, ResourceSetRecord set, string uri, out string accountId)
        {
            accountId = "";
            var parts = uri.Split(new[] { ':' }, 6);
            if (parts.Length != 6 || parts[0] != "arn" || parts[5].Length == 0) return FailedItemReasonValues.NotValidArn;
            if (parts[1] != "aws") return FailedItemReasonValues.NotValidPartition;
            var service = parts[2];
            var region = parts[3];
            accountId = parts[4];
            if (region.Length > 0 && region != context.Region) return FailedItemReasonValues.NotValidRegion;
            var types = set.Set.ResourceTypeList ?? new List<string>();
            var shapes = types.Where(ArnShapes.ContainsKey).Select(t => ArnShapes[t]).ToList();
            if (shapes.Count > 0 && !shapes.Any(s => s.Service == service)) return FailedItemReasonValues.NotValidService;
            var known = context.World.FindByArn(uri);
            if (known != null)
            {
                if (types.Count > 0 && !types.Contains(known.ResourceType)) return FailedItemReasonValues.NotValidResourceType;
            }
            else if (shapes.Count > 0 && !shapes.Any(s => s.Service == service && parts[5].StartsWith(s.Prefix, StringComparison.Ordinal)))
            {
                return FailedItemReasonValues.NotValidResourceType;
            }
            if (service == "apigateway" && known != null) accountId = known.AccountId;
            if (accountId.Length == 0 || context.World.FindAccount(accountId) is null) return FailedItemReasonValues.NotValidAccountId;
            return null;
        }

        public object BatchAssociateResource(RequestContext context, BatchAssociateResourceRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var set = FindResourceSet(context, admin, request.ResourceSetIdentifier!);
            var resources = set.Resources.ToList();
            var failed = new List<FailedItem>();
            foreach (var uri in request.Items!.Distinct())
            {
                var reason = AssociationFailure(context, set, uri, out var accountId);
                if (reason != null)
                {
                    failed.Add(new FailedItem { URI = uri, Reason = reason });
                    continue;
                }
                if (resources.Any(r => r.URI == uri)) continue;
                resources.Add(new Resource { URI = uri, AccountId = accountId });
            }
            if (resources.Count > _quotas.ResourcesPerResourceSet)
                throw SandboxFmsErrors.LimitExceeded("A resource set can hold at most " + _quotas.ResourcesPerResourceSet + " resources.");
            if (resources.Count != set.Resources.Count)
                context.Store.ResourceSets.Put(set.Set.Id!, new ResourceSetRecord
                {
                    OwnerAccountId = set.OwnerAccountId, Region = set.Region, Sequence = set.Sequence, Set = set.Set, Resources = resources,
                });
            return new BatchAssociateResourceResponse { ResourceSetIdentifier = set.Set.Id, FailedItems = failed };
        }

        public object BatchDisassociateResource(RequestContext context, BatchDisassociateResourceRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var set = FindResourceSet(context, admin, request.ResourceSetIdentifier!);
            var remove = new HashSet<string>(request.Items!, StringComparer.Ordinal);
            var failed = new List<FailedItem>();
            foreach (var uri in remove)
                if (!uri.StartsWith("arn:", StringComparison.Ordinal)) failed.Add(new FailedItem { URI = uri, Reason = FailedItemReasonValues.NotValidArn });
            var resources = set.Resources.Where(r => !remove.Contains(r.URI!)).ToList();
            if (resources.Count != set.Resources.Count)
                context.Store.ResourceSets.Put(set.Set.Id!, new ResourceSetRecord
                {
                    OwnerAccountId = set.OwnerAccountId, Region = set.Region, Sequence = set.Sequence, Set = set.Set, Resources = resources,
                });
            return new BatchDisassociateResourceResponse { ResourceSetIdentifier = set.Set.Id, FailedItems = failed };
        }

        public object ListResourceSetResources(RequestContext context, ListResourceSetResourcesRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var set = FindResourceSet(context, admin, request.Identifier!);
            var page = Pagination.Page(set.Resources, request.MaxResults, request.NextToken, 100, out var next);
            return new ListResourceSetResourcesResponse { Items = page, NextToken = next };
        }
    }
}
