using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using SettlementMap.Web.Text;

namespace SettlementMap.Web.Data;

/// <summary>
/// Keeps the search_key columns in step with the names: computed in C# (SerbianScript) on every
/// save, so the database and the search endpoint fold text the same way.
/// </summary>
public static class SearchKeys
{
    public static string For(string nameLatn, string nameCyrl)
    {
        var latin = SerbianScript.SearchKey(nameLatn);
        var cyrillic = SerbianScript.SearchKey(nameCyrl);
        return latin == cyrillic ? latin : $"{latin} {cyrillic}";
    }

    public static void Update(ChangeTracker changeTracker)
    {
        ArgumentNullException.ThrowIfNull(changeTracker);
        foreach (var entry in changeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified))
        {
            switch (entry.Entity)
            {
                case Settlement s:
                    s.SearchKey = For(s.NameLatn, s.NameCyrl);
                    break;
                case Municipality m:
                    m.SearchKey = For(m.NameLatn, m.NameCyrl);
                    break;
            }
        }
    }

    /// <summary>Fills keys of rows written before the column existed (or by hand-written SQL).</summary>
    public static async Task<int> BackfillAsync(SettlementMapDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var municipalities = await db.Municipalities.Where(m => m.SearchKey == "").ToListAsync(cancellationToken);
        var settlements = await db.Settlements.Where(s => s.SearchKey == "").ToListAsync(cancellationToken);
        // Update() sees only Modified entries: mark them, the names themselves are unchanged.
        foreach (var entity in municipalities.Cast<object>().Concat(settlements))
        {
            db.Entry(entity).State = EntityState.Modified;
        }
        await db.SaveChangesAsync(cancellationToken);
        return municipalities.Count + settlements.Count;
    }
}
