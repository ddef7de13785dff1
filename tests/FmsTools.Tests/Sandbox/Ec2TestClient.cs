using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using System.Xml.Linq;
using FmsTools.Sandbox;
using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>An EC2 answer: status, the XML document, and the error code when it failed.</summary>
    internal sealed class Ec2Answer
    {
        public static readonly XNamespace Ns = "http://ec2.amazonaws.com/doc/2016-11-15/";

        public int Status;
        public XElement Xml = null!;
        public string Body = "";

        public string? ErrorCode => Xml.Name.LocalName == "Response" ? Xml.Element("Errors")?.Element("Error")?.Element("Code")?.Value : null;
        public string? ErrorMessage => Xml.Element("Errors")?.Element("Error")?.Element("Message")?.Value;

        /// <summary>The items of a top-level set (routeTableSet, networkAclSet, ...).</summary>
        public IReadOnlyList<XElement> Items(string set) => Xml.Element(Ns + set)?.Elements(Ns + "item").ToList() ?? new List<XElement>();

        public string? Value(string name) => Xml.Element(Ns + name)?.Value;
    }

    /// <summary>EC2 query-protocol calls signed for the ec2 service with <see cref="SigV4TestClient"/>'s independent signer.</summary>
    internal sealed class Ec2TestClient
    {
        private readonly SigV4TestClient _client;

        public Ec2TestClient(SigV4TestClient client) { _client = client.For("", "ec2"); }

        /// <summary>Temporary keys for OrganizationAccountAccessRole in <paramref name="account"/>, assumed from the management account.</summary>
        public static async Task<Ec2TestClient> ForMemberAsync(SandboxHost host, string account, string region = "us-east-1")
        {
            var assumed = await AssumeAsync(SigV4TestClient.Management(host), account, Account.OrganizationAccountAccessRole);
            Assert.True(assumed.Status == 200, assumed.Body);
            string Field(string name) => XElement.Parse(assumed.Body).Descendants().First(e => e.Name.LocalName == name).Value;
            return new Ec2TestClient(new SigV4TestClient(host.Endpoint, Field("AccessKeyId"), Field("SecretAccessKey"), region, Field("SessionToken")));
        }

        public static Task<RawResponse> AssumeAsync(SigV4TestClient caller, string account, string role)
            => caller.For("", "sts").SendAsync(Encoding.UTF8.GetBytes("Action=AssumeRole&Version=2011-06-15&RoleArn="
                + Uri.EscapeDataString("arn:aws:iam::" + account + ":role/" + role) + "&RoleSessionName=ec2-tests"),
                "application/x-www-form-urlencoded; charset=utf-8", null);

        /// <summary>Sends Action=<paramref name="action"/>&amp;Version=2016-11-15 plus the members (name, value pairs).</summary>
        public async Task<Ec2Answer> CallAsync(string action, params (string Name, string Value)[] members)
        {
            var form = "Action=" + action + "&Version=2016-11-15" + string.Concat(members.Select(m => "&" + Uri.EscapeDataString(m.Name) + "=" + Uri.EscapeDataString(m.Value)));
            var raw = await _client.SendAsync(Encoding.UTF8.GetBytes(form), "application/x-www-form-urlencoded; charset=utf-8", null);
            return new Ec2Answer { Status = raw.Status, Body = raw.Body, Xml = XElement.Parse(raw.Body) };
        }

        /// <summary>A call that must succeed.</summary>
        public async Task<Ec2Answer> OkAsync(string action, params (string Name, string Value)[] members)
        {
            var answer = await CallAsync(action, members);
            Assert.True(answer.Status == 200, action + " failed: " + answer.Body);
            return answer;
        }

        /// <summary>A call that must fail with <paramref name="code"/>.</summary>
        public async Task<Ec2Answer> FailsAsync(string code, string action, params (string Name, string Value)[] members)
        {
            var answer = await CallAsync(action, members);
            Assert.True(answer.ErrorCode == code, action + ": expected " + code + ", got " + answer.Status + " " + answer.Body);
            return answer;
        }
    }
}
