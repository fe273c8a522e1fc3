using Npgsql;

namespace SettlementMap.Web.Http;

public static class NpgsqlParameters
{
    /// <summary>A command for SQL we built, carrying the parameters built with it.</summary>
    public static NpgsqlCommand CreateCommand(this NpgsqlDataSource dataSource, string sql, IEnumerable<NpgsqlParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(parameters);
        var command = dataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>A command on an open connection for SQL we built, carrying the parameters built with it.</summary>
    public static NpgsqlCommand CreateCommand(this NpgsqlConnection connection, string sql, IEnumerable<NpgsqlParameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(parameters);
        var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
