using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace ExamReview.ServiceDefaults.Hosting;

/// <summary>
/// What endpoint filters need to know of a handler's arguments. A handler with many inputs takes them as one
/// <c>[AsParameters]</c> record, so a filter looking for the body or the client's text looks into that record too.
/// </summary>
public static class EndpointArguments
{
    /// <summary>Whether <paramref name="parameter"/> is bound as <c>[AsParameters]</c>: its properties are the real inputs.</summary>
    public static bool IsParameterRecord(ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.IsDefined(typeof(AsParametersAttribute));
    }

    /// <summary>Whether <paramref name="argument"/> is the value of one of the handler's <c>[AsParameters]</c> parameters.</summary>
    public static bool IsParameterRecord(EndpointFilterInvocationContext context, object argument)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(argument);
        var method = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>();
        return method is not null && method.GetParameters().Any(p => p.ParameterType == argument.GetType() && IsParameterRecord(p));
    }
}
