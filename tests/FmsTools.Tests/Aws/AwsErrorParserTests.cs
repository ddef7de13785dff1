using System.Net;
using System.Text;
using FmsTools.Aws.Fms;
using FmsTools.Aws.Runtime;
using Xunit;

namespace FmsTools.Tests.Aws
{
    public class AwsErrorParserTests
    {
        private static AwsErrorDetails Parse(string? header, string body, HttpStatusCode status = HttpStatusCode.BadRequest)
            => AwsErrorParser.Parse(status, header, Encoding.UTF8.GetBytes(body));

        [Theory]
        [InlineData("InvalidInputException", "InvalidInputException")]
        [InlineData("com.amazonaws.fms#InvalidInputException", "InvalidInputException")]
        [InlineData("InvalidInputException:http://internal.amazon.com/coral/com.amazonaws.fms/", "InvalidInputException")]
        [InlineData("aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/", "FooError")]
        [InlineData("  ThrottlingException ", "ThrottlingException")]
        public void Code_forms_are_normalized(string raw, string expected)
        {
            Assert.Equal(expected, AwsErrorParser.NormalizeCode(raw));
            Assert.Equal(expected, Parse(raw, "{}").Code);
            Assert.Equal(expected, Parse(null, "{\"__type\":\"" + raw.Trim() + "\"}").Code);
        }

        [Fact]
        public void Header_takes_precedence_over_body()
            => Assert.Equal("LimitExceededException", Parse("LimitExceededException", "{\"__type\":\"InvalidInputException\"}").Code);

        [Theory]
        [InlineData("{\"__type\":\"X\",\"message\":\"lower\"}", "lower")]
        [InlineData("{\"__type\":\"X\",\"Message\":\"upper\"}", "upper")]
        [InlineData("{\"code\":\"X\",\"message\":\"code member\"}", "code member")]
        public void Message_comes_from_message_or_Message(string body, string expected)
        {
            var details = Parse(null, body);
            Assert.Equal("X", details.Code);
            Assert.Equal(expected, details.Message);
        }

        [Fact]
        public void Non_json_answer_keeps_status_name_and_an_excerpt()
        {
            var details = Parse(null, "<html><body>Bad Gateway</body></html>", HttpStatusCode.BadGateway);
            Assert.Equal("BadGateway", details.Code);
            Assert.Contains("Bad Gateway", details.Message);
        }

        [Fact]
        public void Empty_answer_gets_a_descriptive_message()
        {
            var details = AwsErrorParser.Parse(HttpStatusCode.ServiceUnavailable, null, new byte[0]);
            Assert.Equal("ServiceUnavailable", details.Code);
            Assert.Contains("503", details.Message);
        }

        [Fact]
        public void Error_factory_gives_typed_errors_for_modeled_codes_only()
        {
            Assert.IsType<FmsInvalidInputException>(FmsErrors.Create("InvalidInputException", "m", HttpStatusCode.BadRequest, "r", "PutPolicy"));
            var plain = FmsErrors.Create("AccessDeniedException", "m", HttpStatusCode.BadRequest, "r", "PutPolicy");
            Assert.Equal(typeof(AwsServiceException), plain.GetType());
            Assert.Equal("PutPolicy", plain.Operation);
        }
    }
}
