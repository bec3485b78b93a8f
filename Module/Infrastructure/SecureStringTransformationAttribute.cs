using System;
using System.Management.Automation;
using System.Security;

namespace GitOrch.Module.Infrastructure;

/// <summary>
/// Lets a SecureString parameter (Connect-GitOrch -Token) also take a plain string, as the token read from a file
/// or a pipeline usually is; the string becomes a read-only SecureString at once.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject ps ? ps.BaseObject : inputData;
        if (value is string text)
        {
            var secure = new SecureString();
            foreach (var c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        return inputData;
    }
}
