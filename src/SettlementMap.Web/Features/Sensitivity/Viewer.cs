using System.Globalization;
using SettlementMap.Web.Data;
using SettlementMap.Web.Features.Accounts;

namespace SettlementMap.Web.Features.Sensitivity;

/// <summary>
/// Who is asking, as far as what they may see goes: their level everywhere and the municipalities in
/// which they see everything (a coordinator's own).
/// </summary>
/// <param name="Level">The level everywhere.</param>
/// <param name="OwnMunicipalities">Municipality ids in which the viewer sees every level (empty for most).</param>
/// <param name="UserName">The signed-in account, if any (for the export record).</param>
public sealed record Viewer(Clearance Level, IReadOnlySet<int> OwnMunicipalities, string? UserName)
{
    public static Viewer Anonymous { get; } = new(Clearance.Public, new HashSet<int>(), null);

    public static Viewer Administrator(string userName) => new(Clearance.Administrators, new HashSet<int>(), userName);

    public static Viewer From(Editor? editor) => editor switch
    {
        null => Anonymous,
        { IsAdministrator: true } => Administrator(editor.UserName),
        _ => new Viewer(Clearance.SignedIn, editor.MunicipalityIds, editor.UserName),
    };

    /// <summary>The level this viewer has for a settlement of <paramref name="municipalityId"/>.</summary>
    public Clearance LevelIn(int municipalityId) => OwnMunicipalities.Contains(municipalityId) ? Clearance.Administrators : Level;

    /// <summary>
    /// What a cached answer for this viewer may be shared with: viewers with the same key see the same
    /// thing ("public", "signed_in", "administrators", or a coordinator's level with their municipalities).
    /// </summary>
    public string CacheKey => OwnMunicipalities.Count == 0 || Level == Clearance.Administrators
        ? Level.ToText()
        : Level.ToText() + "+" + string.Join('.', OwnMunicipalities.Order().Select(id => id.ToString(CultureInfo.InvariantCulture)));

    /// <summary>The viewer of this request, read once (a signed-in one from the database, as the editing endpoints do).</summary>
    public static async ValueTask<Viewer> OfAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items[typeof(Viewer)] is Viewer known)
        {
            return known;
        }
        var viewer = Anonymous;
        if (context.User.Identity?.IsAuthenticated == true)
        {
            // A cookie's account was read when the cookie was validated; a token's is read here.
            var editor = context.Items[typeof(Editor)] as Editor
                ?? await Editor.LoadAsync(context.User, context.RequestServices.GetRequiredService<SettlementMapDbContext>(), context.RequestAborted);
            viewer = From(editor);
        }
        context.Items[typeof(Viewer)] = viewer;
        return viewer;
    }
}
