namespace SettlementMap.Web.Http;

public static class ProblemHandling
{
    /// <summary>Every error leaves as an RFC 7807 problem body (with a trace id); unexpected ones never show internals.</summary>
    public static IServiceCollection AddSettlementMapProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails();
}
