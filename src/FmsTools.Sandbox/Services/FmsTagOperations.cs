using System;
using System.Collections.Generic;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;
using FmsTools.Sandbox.Persistence;

namespace FmsTools.Sandbox.Services
{
    /// <summary>TagResource, UntagResource and ListTagsForResource over the administrator's policies, lists and resource sets.</summary>
    internal sealed class FmsTagOperations
    {
        /// <summary>Tags one resource can have.</summary>
        private const int MaxTags = 200;

        /// <summary>Adds the tags to the resource's, a key given again taking the new value; a tag without a value is stored as "".</summary>
        public static void Merge(SandboxStore store, string arn, IEnumerable<Tag> tags)
        {
            var current = store.Tags.Find(arn)?.Tags ?? new List<Tag>();
            var merged = current.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();
            foreach (var tag in tags)
            {
                merged.RemoveAll(t => t.Key == tag.Key);
                merged.Add(new Tag { Key = tag.Key, Value = tag.Value ?? "" });
            }
            if (merged.Count > MaxTags) throw SandboxFmsErrors.LimitExceeded("A resource can have at most " + MaxTags + " tags.");
            store.Tags.Put(arn, new TagsRecord { Tags = merged });
        }

        public object TagResource(RequestContext context, TagResourceRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            RequireTaggable(context, admin, request.ResourceArn!);
            Merge(context.Store, request.ResourceArn!, request.TagList!);
            return new TagResourceResponse();
        }

        public object UntagResource(RequestContext context, UntagResourceRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            RequireTaggable(context, admin, request.ResourceArn!);
            var current = context.Store.Tags.Find(request.ResourceArn!)?.Tags ?? new List<Tag>();
            var keys = new HashSet<string>(request.TagKeys!, StringComparer.Ordinal);
            var remaining = current.Where(t => !keys.Contains(t.Key!)).ToList();
            if (remaining.Count != current.Count) context.Store.Tags.Put(request.ResourceArn!, new TagsRecord { Tags = remaining });
            return new UntagResourceResponse();
        }

        public object ListTagsForResource(RequestContext context, ListTagsForResourceRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            RequireTaggable(context, admin, request.ResourceArn!);
            return new ListTagsForResourceResponse { TagList = context.Store.Tags.Find(request.ResourceArn!)?.Tags ?? new List<Tag>() };
        }

        /// <summary>Resolves an FMS ARN the caller owns: policy, applications list, protocols list or resource set.</summary>
        private static void RequireTaggable(RequestContext context, AdminRecord admin, string arn)
        {
            var parts = arn.Split(':');
            if (parts.Length < 6 || parts[0] != "arn" || parts[2] != "fms")
                throw SandboxFmsErrors.InvalidInput("The resource ARN " + arn + " is not a Firewall Manager ARN.");
            var region = parts[3];
            var account = parts[4];
            var resource = string.Join(":", parts.Skip(5));
            var slash = resource.IndexOf('/');
            var kind = slash < 0 ? resource : resource.Substring(0, slash);
            var id = slash < 0 ? "" : resource.Substring(slash + 1);
            var store = context.Store;
            var exists = account == admin.AccountId && region == context.Region && kind switch
            {
                "policy" => Owned(store.Policies, id, account, region),
                "applications-list" => Owned(store.AppsLists, id, account, region),
                "protocols-list" => Owned(store.ProtocolsLists, id, account, region),
                "resource-set" => Owned(store.ResourceSets, id, account, region),
                _ => false,
            };
            if (!exists) throw SandboxFmsErrors.NotFound("The resource " + arn + " does not exist.");
        }

        private static bool Owned<T>(StateTable<T> table, string id, string account, string region) where T : class, IAdminOwned
            => table.Find(id) is T record && record.OwnerAccountId == account && record.Region == region;
    }
}
