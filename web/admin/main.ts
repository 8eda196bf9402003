// Entry of the admin console (/admin).
import 'uplot/dist/uPlot.min.css';
import '../shared/base.css';
import './admin.css';
import { localizePage, t } from '../shared/i18n';
import { AdminConsole } from './admin-console';

localizePage(); // first: the console reads texts in the page's language
document.title = t('admin.title');
new AdminConsole().start();
