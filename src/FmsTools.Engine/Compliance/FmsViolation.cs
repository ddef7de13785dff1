using System;
using System.Collections.Generic;

namespace FmsTools.Engine.Compliance
{
    /// <summary>
    /// One non-compliant resource in one account for one policy. The enrichment members (<see cref="Details"/>,
    /// <see cref="PossibleRemediationActions"/>, <see cref="ResourceTags"/>, <see cref="ResourceDescription"/>) are
    /// filled only when GetViolationDetails was read (<see cref="IsEnriched"/>).
    /// </summary>
    public sealed class FmsViolation
    {
        private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>(0);

        public string PolicyId { get; set; } = "";
        public string PolicyName { get; set; } = "";
        public string PolicyType { get; set; } = "";
        public string Region { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string AccountName { get; set; } = "";
        public string ResourceId { get; set; } = "";
        public string ResourceType { get; set; } = "";

        /// <summary>FMS's violation reason code, e.g. RESOURCE_MISSING_WEB_ACL.</summary>
        public string Reason { get; set; } = "";

        /// <summary>What the reason means, in words.</summary>
        public string ReasonDescription { get; set; } = "";

        /// <summary>The violator's metadata as FMS returned it.</summary>
        public IReadOnlyDictionary<string, string> Metadata { get => _metadata; set => _metadata = Items.ReadOnlyDictionary(value); }
        private ReadOnlyItemDictionary<string, string> _metadata = Items.ReadOnlyDictionary(Empty);

        public bool IsEnriched { get; set; }

        public IReadOnlyList<FmsViolationDetail> Details { get => _details; set => _details = Items.ReadOnly(value); }

        private ReadOnlyItemList<FmsViolationDetail> _details = Items.ReadOnly(new FmsViolationDetail[0]);

        public IReadOnlyList<FmsRemediationOption> PossibleRemediationActions { get => _possibleRemediationActions; set => _possibleRemediationActions = Items.ReadOnly(value); }

        private ReadOnlyItemList<FmsRemediationOption> _possibleRemediationActions = Items.ReadOnly(new FmsRemediationOption[0]);

        public IReadOnlyDictionary<string, string> ResourceTags { get => _resourceTags; set => _resourceTags = Items.ReadOnlyDictionary(value); }

        private ReadOnlyItemDictionary<string, string> _resourceTags = Items.ReadOnlyDictionary(Empty);

        public string ResourceDescription { get; set; } = "";

        /// <summary>True when an unexpired entry of an exceptions file (-ExceptionPath) accepts this violation: it no longer fails a check.</summary>
        public bool Excepted { get; set; }

        /// <summary>Who owns the accepted violation ("" unless <see cref="Excepted"/>).</summary>
        public string ExceptionOwner { get; set; } = "";

        /// <summary>Why the violation is accepted ("" unless <see cref="Excepted"/>).</summary>
        public string ExceptionReason { get; set; } = "";

        /// <summary>The last day the exception holds (null unless <see cref="Excepted"/>).</summary>
        public DateTime? ExceptionExpires { get; set; }

        /// <summary>The entry that accepts the violation, as "file.json[index]" ("" unless <see cref="Excepted"/>).</summary>
        public string ExceptionEntry { get; set; } = "";

        /// <summary>The option FMS marks as default, or the first one, or null when none was offered.</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public FmsRemediationOption? DefaultRemediation
        {
            get
            {
                foreach (var option in PossibleRemediationActions) if (option.IsDefaultAction) return option;
                return PossibleRemediationActions.Count > 0 ? PossibleRemediationActions[0] : null;
            }
        }

        /// <summary>
        /// A copy to enrich or change without touching this object (shallow: the lists and dictionaries are shared,
        /// and enrichment replaces them rather than changing them).
        /// </summary>
        public FmsViolation Copy() => (FmsViolation)MemberwiseClone();

        public override string ToString() => $"{AccountId} {ResourceType} {ResourceId}: {Reason}" + (Excepted ? $" (excepted: {ExceptionOwner})" : "");
    }

    /// <summary>One violation shape of GetViolationDetails' ResourceViolations, summarised.</summary>
    public sealed class FmsViolationDetail
    {
        public FmsViolationDetail(string kind, string target, string description)
        {
            Kind = kind ?? "";
            Target = target ?? "";
            Description = description ?? "";
        }

        /// <summary>The wire shape, e.g. AwsVPCSecurityGroupViolation or NetworkFirewallMissingFirewallViolation.</summary>
        public string Kind { get; }

        /// <summary>The resource the violation is about (security group, subnet, route table, web ACL ...).</summary>
        public string Target { get; }

        /// <summary>A readable sentence about what is wrong.</summary>
        public string Description { get; }

        /// <summary>The VPC, where the shape names one (Network Firewall, NACL and route shapes).</summary>
        public string VpcId { get; set; } = "";

        /// <summary>The route table the violation is about (route shapes), or "".</summary>
        public string RouteTableId { get; set; } = "";

        /// <summary>The routes FMS flags (Network Firewall route shapes); empty for other shapes.</summary>
        public IReadOnlyList<FmsRoute> ViolatingRoutes { get => _violatingRoutes; set => _violatingRoutes = Items.ReadOnly(value); }
        private ReadOnlyItemList<FmsRoute> _violatingRoutes = Items.ReadOnly(new FmsRoute[0]);

        /// <summary>The routes FMS expects instead (Network Firewall route shapes); empty for other shapes.</summary>
        public IReadOnlyList<FmsExpectedRoute> ExpectedRoutes { get => _expectedRoutes; set => _expectedRoutes = Items.ReadOnly(value); }
        private ReadOnlyItemList<FmsExpectedRoute> _expectedRoutes = Items.ReadOnly(new FmsExpectedRoute[0]);

        public override string ToString() => Kind + ": " + Description;
    }

    /// <summary>One route of a VPC route table as FMS reports it (Route).</summary>
    public sealed class FmsRoute
    {
        public FmsRoute(string destination, string destinationType, string target, string targetType)
        {
            Destination = destination ?? "";
            DestinationType = destinationType ?? "";
            Target = target ?? "";
            TargetType = targetType ?? "";
        }

        /// <summary>A CIDR or prefix list id.</summary>
        public string Destination { get; }

        /// <summary>IPV4, IPV6 or PREFIX_LIST.</summary>
        public string DestinationType { get; }

        /// <summary>igw-…, vpce-… (a firewall endpoint), nat-… and so on.</summary>
        public string Target { get; }

        /// <summary>GATEWAY, VPC_ENDPOINT, NAT_GATEWAY, NETWORK_INTERFACE ...</summary>
        public string TargetType { get; }

        public override string ToString() => Destination + " -> " + Target;
    }

    /// <summary>A route FMS expects in a route table (ExpectedRoute).</summary>
    public sealed class FmsExpectedRoute
    {
        public FmsExpectedRoute(string destination, IReadOnlyList<string> allowedTargets, string routeTableId, IReadOnlyList<string> contributingSubnets)
        {
            Destination = destination ?? "";
            AllowedTargets = Items.ReadOnly(allowedTargets);
            RouteTableId = routeTableId ?? "";
            ContributingSubnets = Items.ReadOnly(contributingSubnets);
        }

        /// <summary>The CIDR or prefix list the route must cover.</summary>
        public string Destination { get; }

        /// <summary>Targets that satisfy the expectation (a firewall endpoint, the internet gateway).</summary>
        public IReadOnlyList<string> AllowedTargets { get; }

        /// <summary>The route table that should hold the route ("" when the table does not exist yet).</summary>
        public string RouteTableId { get; }

        /// <summary>The subnets whose traffic needs the route.</summary>
        public IReadOnlyList<string> ContributingSubnets { get; }

        public override string ToString() => Destination + " -> " + string.Join(" | ", AllowedTargets) + (RouteTableId.Length > 0 ? " in " + RouteTableId : "");
    }

    /// <summary>One way to fix a violation FMS proposes (PossibleRemediationAction or a security group remediation).</summary>
    public sealed class FmsRemediationOption
    {
        public FmsRemediationOption(string description, IReadOnlyList<FmsRemediationActionStep> actions, bool isDefaultAction)
        {
            Description = description ?? "";
            Actions = Items.ReadOnly(actions ?? throw new ArgumentNullException(nameof(actions)));
            IsDefaultAction = isDefaultAction;
        }

        public string Description { get; }

        /// <summary>Steps in FMS's order.</summary>
        public IReadOnlyList<FmsRemediationActionStep> Actions { get; }

        public bool IsDefaultAction { get; }

        /// <summary>True when FMS itself can carry out every step (FMSCanRemediate on each).</summary>
        public bool FMSCanRemediate
        {
            get
            {
                if (Actions.Count == 0) return false;
                foreach (var step in Actions) if (step.FMSCanRemediate != true) return false;
                return true;
            }
        }

        public override string ToString() => (IsDefaultAction ? "[default] " : "") + Description;
    }

    /// <summary>One ordered step of a remediation option.</summary>
    public sealed class FmsRemediationActionStep
    {
        public FmsRemediationActionStep(int order, string actionType, string description, string targetResourceId, bool? fmsCanRemediate)
        {
            Order = order;
            ActionType = actionType ?? "";
            Description = description ?? "";
            TargetResourceId = targetResourceId ?? "";
            FMSCanRemediate = fmsCanRemediate;
        }

        public int Order { get; }

        /// <summary>The wire action, e.g. EC2CreateRouteAction, CreateNetworkAclEntriesAction, SecurityGroupRemediation.</summary>
        public string ActionType { get; }

        public string Description { get; }

        /// <summary>The route table, NACL, VPC or security group the step changes.</summary>
        public string TargetResourceId { get; }

        /// <summary>FMS's FMSCanRemediate flag where the action carries one; null when the wire says nothing.</summary>
        public bool? FMSCanRemediate { get; }

        /// <summary>The action as GetViolationDetails returned it (its parameters: route table, destination, target ...), when it came from one.</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        internal FmsTools.Aws.Fms.RemediationAction? WireAction { get; set; }

        public override string ToString() => $"{Order}. {ActionType} {TargetResourceId}: {Description}";
    }
}
