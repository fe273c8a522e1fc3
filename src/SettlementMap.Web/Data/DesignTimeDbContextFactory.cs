using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SettlementMap.Web.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running database.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<SettlementMapDbContext>
{
    public SettlementMapDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SettlementMapDbContext>()
            .UseNpgsql("Host=localhost;Database=settlementmap_design", o => o.UseNetTopologySuite())
            .Options);
}
