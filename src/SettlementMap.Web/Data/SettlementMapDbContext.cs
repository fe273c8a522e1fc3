using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SettlementMap.Web.Features.Measures;

namespace SettlementMap.Web.Data;

public sealed class SettlementMapDbContext(DbContextOptions<SettlementMapDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<District> Districts => Set<District>();
    public DbSet<Municipality> Municipalities => Set<Municipality>();
    public DbSet<Settlement> Settlements => Set<Settlement>();
    public DbSet<Programme> Programmes => Set<Programme>();
    public DbSet<CoverageRecord> Coverage => Set<CoverageRecord>();
    public DbSet<SettlementChange> SettlementChanges => Set<SettlementChange>();
    public DbSet<UserAccount> Users => Set<UserAccount>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<AccountChange> AccountChanges => Set<AccountChange>();
    public DbSet<CoverageChange> CoverageChanges => Set<CoverageChange>();
    public DbSet<ImportRecord> Imports => Set<ImportRecord>();
    public DbSet<SavedImportMapping> ImportMappings => Set<SavedImportMapping>();
    public DbSet<AttributeLevel> AttributeLevels => Set<AttributeLevel>();
    public DbSet<DisclosureSettings> DisclosureSettings => Set<DisclosureSettings>();
    public DbSet<SensitivityChange> SensitivityChanges => Set<SensitivityChange>();
    public DbSet<ExportRecord> ExportRecords => Set<ExportRecord>();
    public DbSet<ActionPlan> ActionPlans => Set<ActionPlan>();
    public DbSet<Measure> Measures => Set<Measure>();
    public DbSet<MeasureIndicator> MeasureIndicators => Set<MeasureIndicator>();
    public DbSet<MeasureChange> MeasureChanges => Set<MeasureChange>();

    /// <summary>The key ring that signs sign-in and antiforgery cookies, shared by every instance (DataProtectionSetup).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        SearchKeys.Update(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        SearchKeys.Update(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("postgis");
        modelBuilder.HasPostgresExtension("pg_trgm");
        // min_zoom beside the point in one GiST index (migration PointPyramid).
        modelBuilder.HasPostgresExtension("btree_gist");

        modelBuilder.Entity<District>(b =>
        {
            b.ToTable("districts");
            b.HasIndex(d => d.Code).IsUnique();
        });

        modelBuilder.Entity<Municipality>(b =>
        {
            b.ToTable("municipalities");
            b.HasIndex(m => m.Code).IsUnique();
            b.Property(m => m.Seat).HasColumnType("geometry(Point,4326)");
            b.Property(m => m.Geom).HasColumnType("geometry(MultiPolygon,4326)");
            b.HasIndex(m => m.Geom).HasMethod("gist");
            b.HasIndex(m => m.Seat).HasMethod("gist");
            b.HasIndex(m => m.SearchKey).HasMethod("gin").HasOperators("gin_trgm_ops");
            b.HasOne(m => m.District).WithMany(d => d.Municipalities).HasForeignKey(m => m.DistrictId).OnDelete(DeleteBehavior.Restrict);
            b.ToTable(t => t.HasCheckConstraint("ck_municipalities_geom_valid", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)"));
        });

        modelBuilder.Entity<Settlement>(b =>
        {
            b.ToTable("settlements");
            b.HasIndex(s => s.Code).IsUnique();
            b.HasIndex(s => s.MunicipalityId);
            b.Property(s => s.Geom).HasColumnType("geometry(MultiPolygon,4326)");
            b.HasIndex(s => s.Geom).HasMethod("gist");
            b.Property(s => s.AreaM2).HasComputedColumnSql("ST_Area(geom::geography)", stored: true);
            b.Property(s => s.Centroid).HasColumnType("geometry(Point,4326)").HasComputedColumnSql("ST_Centroid(geom)", stored: true);
            b.HasIndex(s => s.Centroid).HasMethod("gist");
            b.HasIndex(s => s.SearchKey).HasMethod("gin").HasOperators("gin_trgm_ops");
            b.Property(s => s.SubstandardSharePct).HasPrecision(5, 2);
            b.Property(s => s.UpdatedAt).HasDefaultValueSql("now()");
            b.Property(s => s.Version).IsRowVersion().HasColumnName("xmin");
            b.HasOne(s => s.Municipality).WithMany().HasForeignKey(s => s.MunicipalityId).OnDelete(DeleteBehavior.Restrict);
            b.ToTable(t =>
            {
                t.HasCheckConstraint("ck_settlements_geom_valid", "ST_IsValid(geom) AND NOT ST_IsEmpty(geom)");
                t.HasCheckConstraint("ck_settlements_substandard_share", "substandard_share_pct BETWEEN 0 AND 100");
                t.HasCheckConstraint("ck_settlements_counts",
                    "estimated_inhabitants >= 0 AND households >= 0 AND dwelling_count >= 0");
                t.HasCheckConstraint("ck_settlements_distances",
                    "distance_to_seat_m >= 0 AND distance_to_primary_school_m >= 0 AND distance_to_preschool_m >= 0 " +
                    "AND distance_to_health_centre_m >= 0 AND distance_to_social_work_centre_m >= 0 " +
                    "AND distance_to_transport_stop_m >= 0 AND distance_to_pharmacy_m >= 0");
            });
        });

        modelBuilder.Entity<Programme>(b =>
        {
            b.ToTable("programmes");
            b.HasIndex(p => p.Code).IsUnique();
        });

        modelBuilder.Entity<CoverageRecord>(b =>
        {
            b.ToTable("coverage");
            b.HasIndex(c => new { c.MunicipalityId, c.Kind, c.ValidFrom });
            b.HasOne(c => c.Municipality).WithMany().HasForeignKey(c => c.MunicipalityId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne(c => c.Programme).WithMany().HasForeignKey(c => c.ProgrammeId).OnDelete(DeleteBehavior.Restrict);
            b.ToTable(t =>
            {
                t.HasCheckConstraint("ck_coverage_programme", "(kind = 'programme') = (programme_id IS NOT NULL)");
                t.HasCheckConstraint("ck_coverage_period", "valid_to IS NULL OR valid_to >= valid_from");
                t.HasCheckConstraint("ck_coverage_count", "count IS NULL OR count >= 0");
            });
        });

        modelBuilder.Entity<SettlementChange>(b =>
        {
            b.ToTable("settlement_changes");
            b.HasIndex(c => new { c.SettlementId, c.ChangedAt });
            b.Property(c => c.Changes).HasColumnType("jsonb");
            b.Property(c => c.GeomBefore).HasColumnType("geometry(MultiPolygon,4326)");
            b.Property(c => c.GeomAfter).HasColumnType("geometry(MultiPolygon,4326)");
            b.HasIndex(c => c.GeomBefore).HasMethod("gist");
            b.HasIndex(c => c.GeomAfter).HasMethod("gist");
            b.Property(c => c.ChangedAt).HasDefaultValueSql("now()");
            b.Property(c => c.AttributesBefore).HasColumnType("jsonb");
            b.Property(c => c.AttributesAfter).HasColumnType("jsonb");
            b.HasIndex(c => new { c.ChangedBy, c.RequestKey }).IsUnique().HasFilter("request_key IS NOT NULL");
        });

        modelBuilder.Entity<DataProtectionKey>(b => b.ToTable("data_protection_keys"));

        modelBuilder.Entity<ImportRecord>(b =>
        {
            b.ToTable("imports");
            b.Property(i => i.CreatedAt).HasDefaultValueSql("now()");
            b.Property(i => i.Options).HasColumnType("jsonb");
            b.Property(i => i.Report).HasColumnType("jsonb");
            b.Property(i => i.Mapping).HasColumnType("jsonb");
            b.HasIndex(i => i.CreatedAt);
        });

        modelBuilder.Entity<SavedImportMapping>(b =>
        {
            b.ToTable("import_mappings");
            b.HasIndex(m => m.Name).IsUnique();
            b.Property(m => m.Mapping).HasColumnType("jsonb");
            b.Property(m => m.SavedAt).HasDefaultValueSql("now()");
            b.HasOne(m => m.Owner).WithMany().HasForeignKey(m => m.OwnerId).OnDelete(DeleteBehavior.SetNull);
        });

        modelBuilder.Entity<CoverageChange>(b =>
        {
            b.ToTable("coverage_changes");
            b.HasIndex(c => new { c.MunicipalityId, c.ChangedAt });
            b.Property(c => c.ChangedAt).HasDefaultValueSql("now()");
            b.Property(c => c.Before).HasColumnType("jsonb");
            b.Property(c => c.After).HasColumnType("jsonb");
        });

        modelBuilder.Entity<AttributeLevel>(b =>
        {
            b.ToTable("attribute_levels", t => t.HasCheckConstraint("ck_attribute_levels_level", "level IN ('public', 'signed_in', 'administrators')"));
            b.HasKey(a => a.Attribute);
            b.Property(a => a.ChangedAt).HasDefaultValueSql("now()");
        });

        modelBuilder.Entity<DisclosureSettings>(b =>
        {
            b.ToTable("disclosure_settings", t =>
            {
                t.HasCheckConstraint("ck_disclosure_settings_one_row", "id = 1");
                t.HasCheckConstraint("ck_disclosure_settings_threshold", "threshold BETWEEN 1 AND 10000");
                t.HasCheckConstraint("ck_disclosure_settings_radius", "radius_m BETWEEN 100 AND 5000");
            });
            b.Property(d => d.Id).ValueGeneratedNever();
            b.Property(d => d.Salt).HasDefaultValueSql("gen_random_uuid()::text");
            b.Property(d => d.ChangedAt).HasDefaultValueSql("now()");
        });

        modelBuilder.Entity<SensitivityChange>(b =>
        {
            b.ToTable("sensitivity_changes");
            b.HasIndex(c => c.ChangedAt);
            b.Property(c => c.ChangedAt).HasDefaultValueSql("now()");
            b.Property(c => c.Before).HasColumnType("jsonb");
            b.Property(c => c.After).HasColumnType("jsonb");
        });

        modelBuilder.Entity<ExportRecord>(b =>
        {
            b.ToTable("export_records", t =>
            {
                t.HasCheckConstraint("ck_export_records_level", "level IN ('public', 'signed_in', 'administrators')");
                t.HasCheckConstraint("ck_export_records_filter", "length(filter) <= 2000");
                t.HasCheckConstraint("ck_export_records_feature_count", "feature_count >= 0");
            });
            b.HasIndex(r => r.ExportedAt);
            b.Property(r => r.ExportedAt).HasDefaultValueSql("now()");
        });

        modelBuilder.Entity<UserAccount>(b =>
        {
            b.ToTable("users");
            b.HasIndex(u => u.UserName).IsUnique();
            b.Property(u => u.CreatedAt).HasDefaultValueSql("now()");
            b.HasMany(u => u.Municipalities).WithMany().UsingEntity<Dictionary<string, object>>(
                "user_municipalities",
                r => r.HasOne<Municipality>().WithMany().HasForeignKey("municipality_id").OnDelete(DeleteBehavior.Cascade),
                l => l.HasOne<UserAccount>().WithMany().HasForeignKey("user_id").OnDelete(DeleteBehavior.Cascade));
            b.ToTable(t => t.HasCheckConstraint("ck_users_user_name", "user_name = lower(user_name) AND length(user_name) BETWEEN 2 AND 64"));
        });

        modelBuilder.Entity<AccessToken>(b =>
        {
            b.ToTable("access_tokens");
            b.HasIndex(t => t.TokenHash).IsUnique();
            b.Property(t => t.CreatedAt).HasDefaultValueSql("now()");
            b.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AccountChange>(b =>
        {
            b.ToTable("account_changes");
            b.HasIndex(c => c.ChangedAt);
            b.HasIndex(c => new { c.UserName, c.ChangedAt });
            b.Property(c => c.ChangedAt).HasDefaultValueSql("now()");
            b.Property(c => c.Changes).HasColumnType("jsonb");
        });

        ConfigureMeasures(modelBuilder);
        ApplySnakeCaseNamesAndEnumText(modelBuilder);
    }

    /// <summary>Local action plans and their measures (issue 26); the bounds are MeasureRules', the API's own.</summary>
    private static void ConfigureMeasures(ModelBuilder modelBuilder)
    {
        var maxAmount = MeasureRules.MaxAmount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var maxIndicator = MeasureRules.MaxIndicatorValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        modelBuilder.Entity<ActionPlan>(b =>
        {
            b.ToTable("action_plans");
            b.HasIndex(p => new { p.MunicipalityId, p.PeriodStart });
            b.HasOne(p => p.Municipality).WithMany().HasForeignKey(p => p.MunicipalityId).OnDelete(DeleteBehavior.Restrict);
            b.Property(p => p.UpdatedAt).HasDefaultValueSql("now()");
            b.Property(p => p.Version).IsRowVersion().HasColumnName("xmin");
            b.ToTable(t =>
            {
                t.HasCheckConstraint("ck_action_plans_period", "period_end >= period_start");
                t.HasCheckConstraint("ck_action_plans_document_url",
                    $"document_url ~ '^https?://' AND length(document_url) <= {MeasureRules.MaxUrlLength}");
                t.HasCheckConstraint("ck_action_plans_titles",
                    $"length(title_latn) BETWEEN 1 AND {MeasureRules.MaxTitleLength} AND length(title_cyrl) BETWEEN 1 AND {MeasureRules.MaxTitleLength} " +
                    $"AND length(title_en) <= {MeasureRules.MaxTitleLength}");
            });
        });

        modelBuilder.Entity<Measure>(b =>
        {
            b.ToTable("measures");
            b.HasIndex(m => m.ActionPlanId);
            b.HasIndex(m => new { m.Status, m.PriorityArea });
            b.HasOne(m => m.ActionPlan).WithMany(p => p.Measures).HasForeignKey(m => m.ActionPlanId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne(m => m.Programme).WithMany().HasForeignKey(m => m.ProgrammeId).OnDelete(DeleteBehavior.Restrict);
            b.Property(m => m.BudgetAmount).HasPrecision(14, 2);
            b.Property(m => m.SpentAmount).HasPrecision(14, 2);
            b.Property(m => m.CreatedAt).HasDefaultValueSql("now()");
            b.Property(m => m.UpdatedAt).HasDefaultValueSql("now()");
            b.Property(m => m.Version).IsRowVersion().HasColumnName("xmin");
            // A deleted settlement leaves the measures it was named in (their audit keeps its code).
            b.HasMany(m => m.Settlements).WithMany().UsingEntity<Dictionary<string, object>>(
                "measure_settlements",
                r => r.HasOne<Settlement>().WithMany().HasForeignKey("settlement_id").OnDelete(DeleteBehavior.Cascade),
                l => l.HasOne<Measure>().WithMany().HasForeignKey("measure_id").OnDelete(DeleteBehavior.Cascade));
            b.HasMany(m => m.Indicators).WithOne().HasForeignKey(i => i.MeasureId).OnDelete(DeleteBehavior.Cascade);
            b.ToTable(t =>
            {
                t.HasCheckConstraint("ck_measures_funding",
                    "(funding_source = 'programme') = (programme_id IS NOT NULL) AND (funding_source = 'donor') = (donor_name IS NOT NULL)");
                t.HasCheckConstraint("ck_measures_amounts", $"budget_amount BETWEEN 0 AND {maxAmount} AND spent_amount BETWEEN 0 AND {maxAmount}");
                t.HasCheckConstraint("ck_measures_currency",
                    $"currency IN ({string.Join(", ", MeasureRules.Currencies.Select(c => $"'{c}'"))}) " +
                    "AND (currency IS NOT NULL OR (budget_amount IS NULL AND spent_amount IS NULL))");
                t.HasCheckConstraint("ck_measures_status_days",
                    "(status = 'planned' AND started_on IS NULL AND done_on IS NULL AND dropped_on IS NULL) " +
                    "OR (status = 'in_progress' AND started_on IS NOT NULL AND done_on IS NULL AND dropped_on IS NULL) " +
                    "OR (status = 'done' AND done_on IS NOT NULL AND dropped_on IS NULL) " +
                    "OR (status = 'dropped' AND dropped_on IS NOT NULL AND done_on IS NULL)");
                t.HasCheckConstraint("ck_measures_status_order", "started_on <= done_on AND started_on <= dropped_on");
                t.HasCheckConstraint("ck_measures_target", "(target_attribute IS NULL) = (target_value IS NULL)");
                t.HasCheckConstraint("ck_measures_titles",
                    $"length(title_latn) BETWEEN 1 AND {MeasureRules.MaxTitleLength} AND length(title_cyrl) BETWEEN 1 AND {MeasureRules.MaxTitleLength} " +
                    $"AND length(title_en) <= {MeasureRules.MaxTitleLength}");
            });
        });

        modelBuilder.Entity<MeasureIndicator>(b =>
        {
            b.ToTable("measure_indicators");
            b.HasIndex(i => new { i.MeasureId, i.Position }).IsUnique();
            b.Property(i => i.TargetValue).HasPrecision(18, 4);
            b.Property(i => i.AchievedValue).HasPrecision(18, 4);
            b.ToTable(t => t.HasCheckConstraint("ck_measure_indicators_values",
                $"abs(target_value) <= {maxIndicator} AND abs(achieved_value) <= {maxIndicator}"));
        });

        modelBuilder.Entity<MeasureChange>(b =>
        {
            b.ToTable("measure_changes");
            b.HasIndex(c => new { c.MeasureId, c.ChangedAt });
            b.HasIndex(c => new { c.MunicipalityId, c.ChangedAt });
            b.Property(c => c.ChangedAt).HasDefaultValueSql("now()");
            b.Property(c => c.Changes).HasColumnType("jsonb");
            b.Property(c => c.Before).HasColumnType("jsonb");
            b.Property(c => c.After).HasColumnType("jsonb");
            b.HasIndex(c => new { c.ChangedBy, c.RequestKey }).IsUnique().HasFilter("request_key IS NOT NULL");
        });
    }

    /// <summary>
    /// Columns are snake_case so hand-written SQL reads naturally; enums are stored as their
    /// snake_case text with a CHECK constraint listing the closed set.
    /// </summary>
    private static void ApplySnakeCaseNamesAndEnumText(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name)
                {
                    property.SetColumnName(JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name));
                }
                var column = property.GetColumnName();
                var enumType = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
                if (!enumType.IsEnum)
                {
                    continue;
                }
                property.SetValueConverter((ValueConverter)Activator.CreateInstance(typeof(EnumTextConverter<>).MakeGenericType(enumType))!);
                var allowed = string.Join(", ", EnumText.Values(enumType).Select(v => $"'{v}'"));
                modelBuilder.Entity(entity.ClrType).ToTable(t => t.HasCheckConstraint($"ck_{table}_{column}", $"{column} IN ({allowed})"));
            }
        }
    }

    private sealed class EnumTextConverter<TEnum>() : ValueConverter<TEnum, string>(ToText, FromText)
        where TEnum : struct, Enum
    {
        private static readonly Expression<Func<TEnum, string>> ToText = v => EnumText.ToText(v);
        private static readonly Expression<Func<string, TEnum>> FromText = s => EnumText.Parse<TEnum>(s);
    }
}
