namespace SettlementMap.Web.Data.Migrations;

/// <summary>The .sql files embedded in the app (a feature's Sql folder, by file name), for migrations that run them.</summary>
internal static class EmbeddedSql
{
    public static string Read(string fileName)
    {
        using var stream = typeof(EmbeddedSql).Assembly.GetManifestResourceStream(fileName)
            ?? throw new InvalidOperationException($"No embedded SQL file named {fileName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
