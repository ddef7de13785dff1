namespace FmsTools.Engine.Reports
{
    /// <summary>The HTML report's inline style and script: no external asset, no network request, no url().</summary>
    internal static class HtmlReportAssets
    {
        internal const string Css = @"*{box-sizing:border-box}
body{font-family:Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#1b1b1b;background:#fff;max-width:100%}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555;font-size:13px}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:150px}.card .n{font-size:22px;font-weight:600}
.card .l{font-size:12px;color:#555}.bad{color:#b00020}.good{color:#1b7a2f}.unknown{color:#8a6d00}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:13px;margin-bottom:8px}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}td.num{text-align:right}.note{font-size:12px;color:#555}
.charts{display:flex;flex-wrap:wrap;gap:16px}.chart{flex:1 1 360px;min-width:0}.chart svg{width:100%;height:auto;display:block}
svg text{font-size:11px;fill:#1b1b1b}svg .bar-ok{fill:#2e8b57}svg .bar-bad{fill:#c62828}svg .bar-bg{fill:#eee}svg .line{fill:none;stroke:#1565c0;stroke-width:2}
svg .dot{fill:#1565c0}svg .axis{stroke:#999;stroke-width:1}
table.heatmap{width:auto;border-collapse:collapse}table.heatmap td.hm{width:26px;min-width:26px;text-align:center;font-size:11px;padding:2px;overflow-wrap:normal}
table.heatmap th.acct{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;font-size:11px;white-space:nowrap;padding:4px 2px}
table.heatmap th.pol{white-space:nowrap;font-weight:normal}
td.s-Compliant{background:#c8e6c9 !important}td.s-NonCompliant{background:#ef9a9a !important;font-weight:600}td.s-Excepted{background:#ffe082 !important}
td.s-Unknown{background:#e0e0e0 !important}td.s-NotInScope{background:#fff !important;color:#bbb}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;font-size:12px;border:1px solid #ddd}
.controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:8px 0}.controls input[type=search]{flex:1 1 220px;min-width:0;padding:4px 6px}
.controls button{border:1px solid #999;background:#fff;padding:4px 10px;cursor:pointer}.controls button.on{background:#1565c0;color:#fff;border-color:#1565c0}
th.sortable{cursor:pointer}th.sortable[aria-sort=ascending]::after{content:' \25B2'}th.sortable[aria-sort=descending]::after{content:' \25BC'}
tr.hidden{display:none}";

        /// <summary>Search, status and organization filters and column sorting over the resources table (vanilla JS, no globals but one IIFE).</summary>
        internal const string Script = @"(function(){
var table=document.getElementById('resources');if(!table)return;
var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
var q=document.getElementById('q');var org=document.getElementById('org');var shown=document.getElementById('shown');
var status='all';
function apply(){var term=(q.value||'').trim().toLowerCase();var o=org?org.value:'';var n=0;
rows.forEach(function(r){var ok=(status==='all'||r.getAttribute('data-status')===status)&&(!o||r.getAttribute('data-org')===o)&&(!term||r.getAttribute('data-search').indexOf(term)!==-1);
if(ok){r.classList.remove('hidden');n++;}else{r.classList.add('hidden');}});
shown.textContent=n+' of '+rows.length+' shown';}
q.addEventListener('input',apply);if(org)org.addEventListener('change',apply);
Array.prototype.forEach.call(document.querySelectorAll('#filters button[data-filter]'),function(b){b.addEventListener('click',function(){
status=b.getAttribute('data-filter');Array.prototype.forEach.call(document.querySelectorAll('#filters button[data-filter]'),function(x){x.classList.toggle('on',x===b);x.setAttribute('aria-pressed',x===b?'true':'false');});apply();});});
Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){th.classList.add('sortable');th.addEventListener('click',function(){
var asc=th.getAttribute('aria-sort')!=='ascending';Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.removeAttribute('aria-sort');});
th.setAttribute('aria-sort',asc?'ascending':'descending');
rows.sort(function(a,b){var x=a.cells[i].textContent.trim(),y=b.cells[i].textContent.trim();var nx=parseFloat(x),ny=parseFloat(y);
var c=(!isNaN(nx)&&!isNaN(ny)&&String(nx)===x&&String(ny)===y)?nx-ny:x.localeCompare(y);return asc?c:-c;});
rows.forEach(function(r){body.appendChild(r);});});});
apply();})();";
    }
}
