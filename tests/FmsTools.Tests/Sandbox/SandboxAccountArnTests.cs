using FmsTools.Sandbox.World;
using Xunit;

namespace FmsTools.Tests.Sandbox
{
    /// <summary>Organization.AccountArn(Account) keeps each account's ARN; it must follow the ids it was built from.</summary>
    public sealed class SandboxAccountArnTests
    {
        [Fact]
        public void An_account_arn_is_rebuilt_when_the_organization_or_account_id_changes()
        {
            var organization = new Organization { Id = "o-abcdefghij", ManagementAccountId = "111111111111" };
            var account = new Account { Id = "222222222222" };

            Assert.Equal("arn:aws:organizations::111111111111:account/o-abcdefghij/222222222222", organization.AccountArn(account));
            Assert.Equal(organization.AccountArn("222222222222"), organization.AccountArn(account));

            organization.Id = "o-zyxwvutsrq";
            Assert.Equal("arn:aws:organizations::111111111111:account/o-zyxwvutsrq/222222222222", organization.AccountArn(account));
            organization.ManagementAccountId = "333333333333";
            Assert.Equal("arn:aws:organizations::333333333333:account/o-zyxwvutsrq/222222222222", organization.AccountArn(account));
            account.Id = "444444444444";
            Assert.Equal("arn:aws:organizations::333333333333:account/o-zyxwvutsrq/444444444444", organization.AccountArn(account));
        }
    }
}
