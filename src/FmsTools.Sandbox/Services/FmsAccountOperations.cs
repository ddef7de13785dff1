using System;
using System.Linq;
using FmsTools.Aws.Fms;
using FmsTools.Sandbox.Fms;

namespace FmsTools.Sandbox.Services
{
    /// <summary>
    /// What an administrator sees of its organization (ListMemberAccounts, ListDiscoveredResources) and where it is
    /// notified (the notification channel, one per administrator and Region).
    /// </summary>
    internal sealed class FmsAccountOperations
    {
        private static string ChannelKey(AdminRecord admin, RequestContext context) => admin.AccountId + "|" + context.Region;

        public object? PutNotificationChannel(RequestContext context, PutNotificationChannelRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            if (!request.SnsTopicArn!.StartsWith("arn:aws:sns:", StringComparison.Ordinal))
                throw SandboxFmsErrors.InvalidInput("SnsTopicArn " + request.SnsTopicArn + " is not an Amazon SNS topic ARN.");
            context.Store.NotificationChannels.Put(ChannelKey(admin, context),
                new NotificationChannelRecord { SnsTopicArn = request.SnsTopicArn!, SnsRoleName = request.SnsRoleName! });
            return null;
        }

        public object GetNotificationChannel(RequestContext context, GetNotificationChannelRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            var channel = context.Store.NotificationChannels.Find(ChannelKey(admin, context));
            return channel is null
                ? new GetNotificationChannelResponse()
                : new GetNotificationChannelResponse { SnsTopicArn = channel.SnsTopicArn, SnsRoleName = channel.SnsRoleName };
        }

        public object? DeleteNotificationChannel(RequestContext context, DeleteNotificationChannelRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            if (!context.Store.NotificationChannels.Remove(ChannelKey(admin, context)))
                throw SandboxFmsErrors.NotFound("No notification channel is set for " + admin.AccountId + " in " + context.Region + ".");
            return null;
        }

        public object ListMemberAccounts(RequestContext context, ListMemberAccountsRequest request)
        {
            var caller = context.Caller.AccountId;
            var admin = context.Store.Admins.Find(caller);
            if (admin is null && caller != context.World.Organization.ManagementAccountId) throw SandboxFmsErrors.AccessDenied(context.Operation);
            var accounts = context.World.ActiveAccounts()
                .Where(a => admin is null || AdminScopes.AccountInScope(admin, context.World, a.Id))
                .Select(a => a.Id).ToList();
            var page = Pagination.Page(accounts, request.MaxResults, request.NextToken, 100, out var next);
            return new ListMemberAccountsResponse { MemberAccounts = page, NextToken = next };
        }

        public object ListDiscoveredResources(RequestContext context, ListDiscoveredResourcesRequest request)
        {
            var admin = FmsAccess.RequireAdmin(context);
            foreach (var account in request.MemberAccountIds!)
                if (context.World.FindAccount(account) is null || !AdminScopes.AccountInScope(admin, context.World, account))
                    throw SandboxFmsErrors.InvalidInput("Account " + account + " is not a member account in the administrator's scope.");
            var items = context.World.ListDiscoveredResources(request.MemberAccountIds!, request.ResourceType!, context.Region);
            var page = Pagination.Page(items, request.MaxResults, request.NextToken, 100, out var next);
            return new ListDiscoveredResourcesResponse { Items = page, NextToken = next };
        }
    }
}
