using FmsTools.Aws;
using FmsTools.Aws.Runtime;

namespace FmsTools.Engine.Connection
{
    /// <summary>Who and where FmsTools is talking to: what Connect-Fms and Get-FmsContext show.</summary>
    public sealed class FmsContext
    {
        public string? Account { get; set; }
        public string? CallerArn { get; set; }
        public string Region { get; set; } = "";
        public string? EndpointUrl { get; set; }
        public bool IsSandbox { get; set; }

        /// <summary>The FMS default administrator account; null when none is associated or it could not be read.</summary>
        public string? AdminAccount { get; set; }

        /// <summary>READY, CREATING, ... for the administrator's service role.</summary>
        public string? AdminRoleStatus { get; set; }

        public bool IsAdministrator => AdminAccount != null && AdminAccount == Account;
        public string? ProfileName { get; set; }
        public string CredentialSource { get; set; } = "";
        public string MemberAccountRoleName { get; set; } = "";

        public override string ToString() => $"{CallerArn ?? Account} in {Region}{(EndpointUrl == null ? "" : " via " + EndpointUrl)}";

        /// <summary>The endpoint FMS calls go to when it is not the AWS endpoint of the Region (explicit or configured), else null.</summary>
        public static string? EndpointOf(AwsSession session)
        {
            if (session.EndpointUrl != null) return session.EndpointUrl;
            var fms = session.Endpoints[AwsServiceIds.Fms].Url;
            return fms == null ? null : AwsEndpointText.Of(fms);
        }

        /// <summary>Reads the caller identity (STS) and the FMS administrator (GetAdminAccount) for a session.</summary>
        public static async Task<FmsContext> ReadAsync(AwsSession session, ResolvedConnection connection, bool isSandbox, CancellationToken ct)
        {
            var identity = await session.Sts.GetCallerIdentityAsync(ct).ConfigureAwait(false);
            var context = new FmsContext
            {
                Account = identity.Account,
                CallerArn = identity.Arn,
                Region = session.Region,
                EndpointUrl = EndpointOf(session),
                IsSandbox = isSandbox,
                ProfileName = connection.Options.ProfileName,
                CredentialSource = connection.CredentialSource,
                MemberAccountRoleName = connection.Options.MemberAccountRoleName,
            };
            try
            {
                var admin = await session.Fms.GetAdminAccountAsync(new FmsTools.Aws.Fms.GetAdminAccountRequest(), ct).ConfigureAwait(false);
                context.AdminAccount = admin.AdminAccount;
                context.AdminRoleStatus = admin.RoleStatus;
            }
            catch (AwsServiceException e) when (e.ErrorCode == "ResourceNotFoundException" || e.ErrorCode == "AccessDeniedException"
                                                || e.ErrorCode == "InvalidOperationException")
            {
                // No administrator yet, or the caller may not ask: the context is still useful without it.
            }
            return context;
        }
    }
}
