using Npgsql;

namespace SettlementMap.Web.Http;

public static class NpgsqlParameters
{
    /// <summary>Adds every parameter of a built query to a command.</summary>
    public static void AddAll(this NpgsqlParameterCollection collection, IEnumerable<NpgsqlParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var parameter in parameters)
        {
            collection.Add(parameter);
        }
    }
}
