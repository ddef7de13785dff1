using System;

namespace FmsTools.Engine.Remediation
{
    /// <summary>How one EC2 call of a remediation ended.</summary>
    public enum Ec2StepOutcome
    {
        /// <summary>-WhatIf or not confirmed: the call was not made.</summary>
        Planned,

        /// <summary>EC2 applied the change.</summary>
        Remediated,

        /// <summary>EC2 refused the change (ErrorCode and Message say why); nothing was applied.</summary>
        Failed,

        /// <summary>Not made: already in place, or an earlier step failed (Message says which).</summary>
        Skipped,

        /// <summary>The request was sent and its answer lost (timeout, connection lost, 5xx): it may have been applied. Never resent.</summary>
        MayHaveBeenApplied,

        /// <summary>Applied, then reversed because a later step failed (Undo says how).</summary>
        Undone,
    }

    /// <summary>One EC2 call made (or planned) in a member account for one remediation step of one resource.</summary>
    public sealed class Ec2StepResult
    {
        public string AccountId { get; set; } = "";
        public string Region { get; set; } = "";
        public string PolicyName { get; set; } = "";

        /// <summary>The violating resource the remediation is for (a VPC, subnet, route table, network ACL).</summary>
        public string ResourceId { get; set; } = "";

        /// <summary>The step's position in FMS's order.</summary>
        public int Order { get; set; }

        /// <summary>
        /// Which round made (or planned) the call: 1 for the actions of the violations given; 2 and later for the actions FMS
        /// suggested when the resource's violations were read again after the previous round's changes.
        /// </summary>
        public int Round { get; set; } = 1;

        /// <summary>FMS's action type, e.g. EC2CreateRouteAction.</summary>
        public string Action { get; set; } = "";

        /// <summary>The EC2 call with its parameters, e.g. "CreateRoute rtb-1 0.0.0.0/0 -> vpce-1 (VpcEndpointId)".</summary>
        public string Ec2Call { get; set; } = "";

        /// <remarks>The name of an <see cref="Ec2StepOutcome"/> value; the engine reads OutcomeValue.</remarks>
        public string Outcome { get => OutcomeValue.ToString(); set => OutcomeValue = EnumName.Parse<Ec2StepOutcome>(value, nameof(Outcome)); }

        internal Ec2StepOutcome OutcomeValue { get; set; }

        /// <summary>EC2's error code of a failure ("" otherwise).</summary>
        public string ErrorCode { get; set; } = "";

        public string Message { get; set; } = "";

        /// <summary>What happened to an applied change after a later step failed: how it was undone, or why it is left in place; "" otherwise.</summary>
        public string Undo { get; set; } = "";

        /// <summary>The EC2 resource the call changed or created (route table, network ACL, association id).</summary>
        public string ChangedResourceId { get; set; } = "";

        public override string ToString() => $"{Outcome} {AccountId} {Ec2Call}" + (Message.Length > 0 ? ": " + Message : "");
    }
}

namespace FmsTools.Engine.Remediation
{
    /// <summary>The member role could not be assumed in an account (sts:AssumeRole refused or unreachable): its EC2 steps are not made.</summary>
    public sealed class MemberRoleException : Exception
    {
        public MemberRoleException(string accountId, string roleName, Exception innerException)
            : base($"Cannot act in account {accountId} through the role {roleName}: "
                   + (innerException is FmsTools.Aws.Runtime.AwsServiceException s ? s.ErrorCode + ": " + s.Message : innerException.Message), innerException)
        {
            AccountId = accountId;
            RoleName = roleName;
        }

        public string AccountId { get; }

        public string RoleName { get; }

        /// <summary>True when STS refused (AccessDenied and the like) rather than could not be reached.</summary>
        public bool Denied => InnerException is FmsTools.Aws.Runtime.AwsServiceException s
                              && (s.ErrorCode.IndexOf("AccessDenied", StringComparison.OrdinalIgnoreCase) >= 0 || (int)s.StatusCode == 403);
    }
}
