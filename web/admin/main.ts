// Entry of the admin console (/admin).
import '../shared/base.css';
import './admin.css';
import { AdminConsole } from './admin-console';

new AdminConsole().start();
