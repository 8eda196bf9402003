// Entry of the front page (/): live rooms and recent replays, each a link to its watch page.
import '../shared/base.css';
import './home.css';
import { localizePage, t } from '../shared/i18n';
import { HomePage } from './home-page';

localizePage(); // first: the cards read texts in the page's language
document.title = t('home.title');
new HomePage().start();
