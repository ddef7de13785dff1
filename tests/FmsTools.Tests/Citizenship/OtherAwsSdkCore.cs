using System;
using System.IO;
using System.Reflection;
using System.Reflection.Emit;

namespace FmsTools.Tests.Citizenship
{
    /// <summary>
    /// Writes a small "AWSSDK.Core" of another assembly version (3.3.0.0) to disk: the stand-in for the copy
    /// AWS.Tools loads into PowerShell's default context. It has the type names that matter for a clash
    /// (Amazon.Runtime.AWSCredentials, ImmutableCredentials, BasicAWSCredentials) and works like them.
    /// </summary>
    public static class OtherAwsSdkCore
    {
        public static readonly Version AssemblyVersion = new Version(3, 3, 0, 0);

        public static string Write(string directory)
        {
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, "AWSSDK.Core.dll");
            var name = new AssemblyName("AWSSDK.Core") { Version = AssemblyVersion };
            var assembly = new PersistedAssemblyBuilder(name, typeof(object).Assembly);
            var module = assembly.DefineDynamicModule("AWSSDK.Core.dll");

            // public class ImmutableCredentials { ctor(string accessKey, string secretKey, string token); AccessKey; SecretKey; Token }
            var immutable = module.DefineType("Amazon.Runtime.ImmutableCredentials", TypeAttributes.Public | TypeAttributes.Class);
            var fields = new[] { "AccessKey", "SecretKey", "Token" };
            var backing = new FieldBuilder[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                backing[i] = immutable.DefineField("_" + fields[i], typeof(string), FieldAttributes.Private | FieldAttributes.InitOnly);
                var getter = immutable.DefineMethod("get_" + fields[i], MethodAttributes.Public | MethodAttributes.SpecialName | MethodAttributes.HideBySig,
                    typeof(string), Type.EmptyTypes);
                var il = getter.GetILGenerator();
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldfld, backing[i]);
                il.Emit(OpCodes.Ret);
                immutable.DefineProperty(fields[i], PropertyAttributes.None, typeof(string), null).SetGetMethod(getter);
            }
            var immutableCtor = immutable.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard,
                new[] { typeof(string), typeof(string), typeof(string) });
            var ctorIl = immutableCtor.GetILGenerator();
            ctorIl.Emit(OpCodes.Ldarg_0);
            ctorIl.Emit(OpCodes.Call, typeof(object).GetConstructor(Type.EmptyTypes)!);
            for (var i = 0; i < fields.Length; i++)
            {
                ctorIl.Emit(OpCodes.Ldarg_0);
                ctorIl.Emit(OpCodes.Ldarg, i + 1);
                ctorIl.Emit(OpCodes.Stfld, backing[i]);
            }
            ctorIl.Emit(OpCodes.Ret);

            // public abstract class AWSCredentials { public abstract ImmutableCredentials GetCredentials(); }
            var credentials = module.DefineType("Amazon.Runtime.AWSCredentials", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Class);
            var baseCtor = credentials.DefineDefaultConstructor(MethodAttributes.Family);
            credentials.DefineMethod("GetCredentials", MethodAttributes.Public | MethodAttributes.Abstract | MethodAttributes.Virtual | MethodAttributes.HideBySig,
                immutable, Type.EmptyTypes);

            // public class BasicAWSCredentials : AWSCredentials { ctor(string accessKey, string secretKey); GetCredentials() }
            var basic = module.DefineType("Amazon.Runtime.BasicAWSCredentials", TypeAttributes.Public | TypeAttributes.Class, credentials);
            var accessKey = basic.DefineField("_accessKey", typeof(string), FieldAttributes.Private | FieldAttributes.InitOnly);
            var secretKey = basic.DefineField("_secretKey", typeof(string), FieldAttributes.Private | FieldAttributes.InitOnly);
            var basicCtor = basic.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, new[] { typeof(string), typeof(string) });
            var basicIl = basicCtor.GetILGenerator();
            basicIl.Emit(OpCodes.Ldarg_0);
            basicIl.Emit(OpCodes.Call, baseCtor);
            basicIl.Emit(OpCodes.Ldarg_0);
            basicIl.Emit(OpCodes.Ldarg_1);
            basicIl.Emit(OpCodes.Stfld, accessKey);
            basicIl.Emit(OpCodes.Ldarg_0);
            basicIl.Emit(OpCodes.Ldarg_2);
            basicIl.Emit(OpCodes.Stfld, secretKey);
            basicIl.Emit(OpCodes.Ret);
            var get = basic.DefineMethod("GetCredentials", MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.HideBySig, immutable, Type.EmptyTypes);
            var getIl = get.GetILGenerator();
            getIl.Emit(OpCodes.Ldarg_0);
            getIl.Emit(OpCodes.Ldfld, accessKey);
            getIl.Emit(OpCodes.Ldarg_0);
            getIl.Emit(OpCodes.Ldfld, secretKey);
            getIl.Emit(OpCodes.Ldnull);
            getIl.Emit(OpCodes.Newobj, immutableCtor);
            getIl.Emit(OpCodes.Ret);

            immutable.CreateType();
            credentials.CreateType();
            basic.CreateType();
            using (var stream = File.Create(path)) assembly.Save(stream);
            return path;
        }
    }
}
